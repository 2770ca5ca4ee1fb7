/**
 * Parses a subscribed list without stalling DNS and without the list in the JS heap: the bytes
 * are cut at line ends into ~256 KB pieces (~8k lines, ~15 ms each), each piece decoded alone
 * (the whole list as one string was 30 MB of heap for 1M lines), parsed, and its names appended
 * to sorted runs of key bytes (list-runs.ts) before the next event-loop turn. Then the checks
 * that keep a bad download from replacing a good list (house style, error rule 7).
 */
import { DEFAULT_MAX_LINES, parseList, type ParsedList } from './list-formats.js';
import { createNameCollector, type ListNames } from './list-runs.js';
import { yieldNow } from './list-store.js';

/** A parsed list's counts (ParsedList without the name Sets) and its names as runs. */
export type ParsedNames = Omit<ParsedList, 'block' | 'allow' | 'exact'> & { names: ListNames };

const PIECE_BYTES = 256 * 1024;
/** More bad lines than this share of the non-comment lines rejects the list. */
const MAX_BAD_SHARE = 0.5;

/** Parses `bytes` piece by piece, yielding between pieces; `onProgress` gets 0..1. */
export function parseInSlices(bytes: Uint8Array, onProgress?: (done: number) => void): Promise<ParsedNames> {
  return parseChunks([bytes], bytes.byteLength, onProgress);
}

/**
 * The same for a list that arrives in chunks of any size (the compiler process's stdin), `total`
 * bytes in all: only the unparsed tail (at most a piece and a chunk) is held, never the list.
 * Throws if the chunks hold other than `total` bytes (a sender that died: never a half list).
 */
export async function parseChunks(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, total: number, onProgress?: (done: number) => void): Promise<ParsedNames> {
  const collector = createNameCollector();
  const { block: _b, allow: _a, exact: _e, ...counts } = parseList('');
  const parsePiece = (buf: Buffer, from: number, end: number) => {
    // A '\n' never falls inside a UTF-8 sequence, so each piece decodes as it would in the whole.
    const piece = parseList(buf.toString('utf8', from, end), { maxLines: Math.max(1, DEFAULT_MAX_LINES - counts.lines) });
    collector.add(piece);
    addCounts(counts, piece);
  };
  let tail: Buffer = Buffer.alloc(0);
  let read = 0;
  for await (const chunk of chunks) {
    read += chunk.byteLength;
    const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buf = tail.length > 0 ? Buffer.concat([tail, view]) : view;
    let pos = 0;
    while (!counts.truncated && buf.length - pos > PIECE_BYTES) {
      const nl = buf.indexOf(0x0a, pos + PIECE_BYTES);
      if (nl < 0) break; // the piece's last line is not all here yet
      parsePiece(buf, pos, nl + 1);
      pos = nl + 1;
      onProgress?.((read - (buf.length - pos)) / Math.max(1, total));
      await yieldNow();
    }
    if (counts.truncated) return { ...counts, names: collector.finish() }; // the line limit: the rest is not read
    tail = pos === 0 && buf !== view ? buf : Buffer.from(buf.subarray(pos)); // a copy: never pin a whole chunk
  }
  if (read !== total) throw new Error(`the list ended after ${read} of its ${total} bytes`);
  if (tail.length > 0) parsePiece(tail, 0, tail.length);
  onProgress?.(1);
  return { ...counts, names: collector.finish() };
}

function addCounts(into: Omit<ParsedList, 'block' | 'allow' | 'exact'>, piece: ParsedList): void {
  for (const s of piece.samples) {
    if (into.samples.length >= 5) break;
    into.samples.push(s.replace(/^line (\d+)/, (_, n: string) => `line ${Number(n) + into.lines}`));
  }
  into.lines += piece.lines;
  into.bad += piece.bad;
  into.unsupported += piece.unsupported;
  for (const k of Object.keys(into.format) as (keyof ParsedList['format'])[]) into.format[k] += piece.format[k];
  into.truncated ||= piece.truncated;
}

/** Why a parsed list must not replace the current one, or null if it may. */
export function rejectReason(list: ParsedNames): string | null {
  const rules = Object.values(list.format).reduce((a, b) => a + b, 0) + list.bad;
  if (list.bad > rules * MAX_BAD_SHARE) return `${list.bad} of ${rules} lines are bad (over 50 %), first: ${list.samples[0] ?? ''}`;
  if (list.names.names === 0) return `no names in ${list.lines} lines (not a blocklist?)`;
  return null;
}
