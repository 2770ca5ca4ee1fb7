/**
 * Parses a subscribed list without stalling DNS: `parseList` is one synchronous loop (1M lines
 * take ~1.6 s here, longer on a router), so the text is cut at line ends into ~256 KB pieces
 * (~8k lines, ~15 ms each), parsed one per event-loop turn and merged. Then the checks that keep
 * a bad download from replacing a good list (house style, error rule 7).
 */
import { DEFAULT_MAX_LINES, parseList, type ParsedList } from './list-formats.js';
import { yieldNow } from './list-store.js';

const PIECE_CHARS = 256 * 1024;
/** More bad lines than this share of the non-comment lines rejects the list. */
const MAX_BAD_SHARE = 0.5;

/** `parseList(bytes)`, yielding between pieces; `onProgress` gets 0..1. */
export async function parseInSlices(bytes: Uint8Array, onProgress?: (done: number) => void): Promise<ParsedList> {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const list = parseList('');
  for (let pos = 0; pos < text.length && !list.truncated; ) {
    let end = text.indexOf('\n', pos + PIECE_CHARS);
    end = end < 0 ? text.length : end + 1;
    const piece = parseList(text.slice(pos, end), { maxLines: Math.max(1, DEFAULT_MAX_LINES - list.lines) });
    merge(list, piece);
    pos = end;
    onProgress?.(pos / text.length);
    await yieldNow();
  }
  /a/.test('a'); // RegExp.input held parseList's last line, a slice keeping all the text alive
  return list;
}

function merge(into: ParsedList, piece: ParsedList): void {
  for (const w of piece.block) into.block.add(w);
  for (const w of piece.allow) into.allow.add(w);
  for (const w of piece.exact) into.exact.add(w);
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
export function rejectReason(list: ParsedList): string | null {
  const names = list.block.size + list.allow.size + list.exact.size;
  const rules = Object.values(list.format).reduce((a, b) => a + b, 0) + list.bad;
  if (list.bad > rules * MAX_BAD_SHARE) return `${list.bad} of ${rules} lines are bad (over 50 %), first: ${list.samples[0] ?? ''}`;
  if (names === 0) return `no names in ${list.lines} lines (not a blocklist?)`;
  return null;
}
