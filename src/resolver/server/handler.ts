/**
 * The boundary between sockets and the pipeline: turns a received packet into a Query and runs
 * it. Nothing crosses this line: whatever a packet does to the code below, the socket survives,
 * the client gets SERVFAIL when its header is readable, and the failure is counted.
 */
import { RCODE } from '../../dns/constants.js';
import { headerOnlyReply } from '../../dns/reply.js';
import { logLimited } from '../../log.js';
import type { Pipeline, Send } from '../pipeline.js';
import { newQuery, type Client, type Transport } from '../query.js';

/** Handles one packet from a client. */
export type PacketHandler = (raw: Buffer, client: Client, transport: Transport, send: Send) => void;

export interface HandlerStats {
  /** Packets that made the pipeline throw past its own guards (bugs). */
  crashes: number;
}

/** Creates the packet handler over a pipeline. */
export function createHandler(pipeline: Pipeline, stats: HandlerStats, now: () => number = Date.now): PacketHandler {
  return function handlePacket(raw, client, transport, send) {
    const q = newQuery(raw, client, transport, now());
    try {
      pipeline.handle(q, send);
    } catch (err) {
      stats.crashes++;
      logLimited('error', 'handler', `query handling failed: ${(err as Error)?.stack ?? err}`);
      try {
        send(raw.length >= 12 && !(raw[2] & 0x80) ? headerOnlyReply(raw, RCODE.SERVFAIL) : null, q);
      } catch {
        // the socket is gone: nothing more to do for this packet
      }
    }
  };
}
