/**
 * Splits a TCP byte stream into DNS messages framed by a 2-byte length (RFC 1035 §4.2.2),
 * however the stream was cut into chunks. Shared by the TCP listener and the TCP upstream.
 */

export interface FrameReader {
  /** Feeds bytes; calls onFrame for each complete message. Returns false on a frame too short to be DNS. */
  push(chunk: Buffer): boolean;
}

/** Creates a reader that calls `onFrame` with each message (a view into the stream: copy to keep). */
export function createFrameReader(onFrame: (msg: Buffer) => void): FrameReader {
  let buf: Buffer | null = null;
  return {
    push(chunk) {
      const data = buf === null ? chunk : Buffer.concat([buf, chunk]);
      let off = 0;
      while (data.length - off >= 2) {
        const len = data.readUInt16BE(off);
        if (len < 12) return false; // no DNS message is shorter than its header
        if (data.length - off - 2 < len) break;
        onFrame(data.subarray(off + 2, off + 2 + len));
        off += 2 + len;
      }
      buf = off === data.length ? null : data.subarray(off);
      return true;
    },
  };
}
