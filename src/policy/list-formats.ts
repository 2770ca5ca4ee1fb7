/**
 * Parses subscribed blocklists in every common format, detected per line because real lists
 * mix them: hosts (`0.0.0.0 a.example.org`), plain names, AdBlock (`||a.example.org^`,
 * `@@||…^`, `|…^`) and dnsmasq (`address=/a.example.org/`, `server=/a.example.org/`).
 * A line that is valid in its format but cannot be expressed as a DNS name rule (a URL path,
 * a wildcard, a `$third-party` modifier, a redirect to a real address) is "unsupported", not
 * bad: only bad lines count towards the "too many bad lines" rule (house style, error rule 7).
 *
 * Example: `parseList('||ads.example.org^\n0.0.0.0 t.example.net\n').block.size === 2`.
 */
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { nameToWire } from '../dns/name.js';

/** The formats a line can be written in. */
export type ListFormat = 'hosts' | 'plain' | 'adblock' | 'dnsmasq';

/** What a list compiled to, plus counts for the log and the bad-line rule. */
export interface ParsedList {
  /** Names blocked with their subdomains (AdBlock `||x^`, dnsmasq), and hosts/plain names. */
  block: Set<string>;
  /** Names allowed with their subdomains (`@@||x^`). */
  allow: Set<string>;
  /** Names blocked exactly, not their subdomains (`|x^`). */
  exact: Set<string>;
  /** Lines read, comments and blank lines included. */
  lines: number;
  bad: number;
  /** Valid rules that a DNS name rule cannot express (paths, wildcards, other `$` modifiers). */
  unsupported: number;
  /** The first 5 bad lines, with their line numbers. */
  samples: string[];
  /** Lines per format that were not bad (unsupported ones included). */
  format: Record<ListFormat, number>;
  /** Whether maxLines stopped the parse before the end of the input. */
  truncated: boolean;
}

/** Limits for one parse. */
export interface ParseListOptions {
  /** Lines read at most; the rest is left out and `truncated` set. Default 4 000 000. */
  maxLines?: number;
  /** Characters per line (CR excluded); a longer line is bad, never split. Default 1024. */
  maxLineLength?: number;
}

export const DEFAULT_MAX_LINES = 4_000_000;
export const DEFAULT_MAX_LINE_LENGTH = 1024;

const OK = 0;
const UNSUPPORTED = 1;
const BAD = 2;
type Status = typeof OK | typeof UNSUPPORTED | typeof BAD;

const NAME_CHARS = /^[a-z0-9_.-]+$/;
const NON_ASCII = /[^\x00-\x7f]/;
const SPACES = /\s+/;
/** AdBlock element hiding and scriptlets: `example.org##.ad`, `#@#`, `#?#`, `#$#`, `#%#`. */
const COSMETIC = /#[@?$%]?#/;
/** `[Adblock Plus 2.0]`, `[AdGuard]`: list headers. */
const HEADER = /^\[[\w .-]*\]$/;
/** Characters of a URL rule (`||example.org/ads^`, `||example.org:8080^`), not of a name. */
const URL_CHARS = /[/:?=&^|]/;
/** Hosts-file addresses that mean "block" (0.0.0.0 and loopback, RFC 5735 / RFC 4291). */
const HOSTS_BLOCK = new Set(['0.0.0.0', '127.0.0.1', '::', '::1']);
/** dnsmasq `address=` answers that block; `#` is dnsmasq's "NULL address" (0.0.0.0 and ::). */
const DNSMASQ_BLOCK = new Set(['', '0.0.0.0', '::', '127.0.0.1', '::1', '#']);

/** Parses list bytes (UTF-8, invalid bytes make their line bad) or text. Never throws on data. */
export function parseList(input: Uint8Array | string, options: ParseListOptions = {}): ParsedList {
  const maxLines = limit(options.maxLines, DEFAULT_MAX_LINES, 'maxLines');
  const maxLineLength = limit(options.maxLineLength, DEFAULT_MAX_LINE_LENGTH, 'maxLineLength');
  const text = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  const list: ParsedList = {
    block: new Set(),
    allow: new Set(),
    exact: new Set(),
    lines: 0,
    bad: 0,
    unsupported: 0,
    samples: [],
    format: { hosts: 0, plain: 0, adblock: 0, dnsmasq: 0 },
    truncated: false,
  };
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0; // UTF-8 BOM
  while (pos < text.length) {
    if (list.lines >= maxLines) {
      list.truncated = true;
      break;
    }
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const stop = end > pos && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    list.lines++;
    if (stop - pos > maxLineLength) markBad(list, text.slice(pos, pos + 80));
    else parseLine(text.slice(pos, stop), list);
    pos = end + 1;
  }
  // V8 keeps the last regex subject (RegExp.input) alive: here a line sliced from `text`, which
  // pinned the whole text until the next regex ran (measured: 22 MB kept after parsing 1M lines).
  /a/.test('a');
  return list;
}

function limit(value: number | undefined, fallback: number, key: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`parseList: ${key} must be an integer >= 1`);
  return value;
}

function markBad(list: ParsedList, line: string): void {
  list.bad++;
  if (list.samples.length < 5) list.samples.push(`line ${list.lines}: ${JSON.stringify(line.slice(0, 80))}`);
}

/** Detects the line's format and adds its rules. */
function parseLine(line: string, list: ParsedList): void {
  const text = stripComment(line).trim();
  if (text === '') return;
  const c = text.charCodeAt(0);
  if (c === 0x21 || HEADER.test(text)) return; // '!': AdBlock comment
  let format: ListFormat;
  let status: Status;
  if (c === 0x7c || text.startsWith('@@')) [format, status] = ['adblock', parseAdblock(text, list)];
  else if (text.startsWith('address=') || text.startsWith('server=')) [format, status] = ['dnsmasq', parseDnsmasq(text, list)];
  else {
    const tokens = text.split(SPACES);
    if (tokens.length > 1) [format, status] = ['hosts', isAddress(tokens[0]) ? parseHosts(tokens, list) : BAD];
    else if (COSMETIC.test(text) || (c === 0x2f && text.length > 2 && text.endsWith('/'))) [format, status] = ['adblock', UNSUPPORTED]; // `/regex/`
    else [format, status] = ['plain', isIpAddress(text) ? UNSUPPORTED : add(list.block, text)];
  }
  if (status === BAD) return markBad(list, line);
  list.format[format]++;
  if (status === UNSUPPORTED) list.unsupported++;
}

/** The line up to a `#` that starts it or follows whitespace (`address=/x/#` keeps its `#`). */
function stripComment(line: string): string {
  for (let i = line.indexOf('#'); i >= 0; i = line.indexOf('#', i + 1)) {
    const p = i === 0 ? 0x20 : line.charCodeAt(i - 1);
    if (p === 0x20 || p === 0x09) return line.slice(0, i);
  }
  return line;
}

function isAddress(token: string): boolean {
  return isIpAddress(token) || /^[0-9a-f:]+%[\w.]+$/i.test(token); // fe80::1%lo0
}

/** isIP (one long regex), skipped for the many tokens that cannot be an address. */
function isIpAddress(token: string): boolean {
  return (token.includes(':') || /^[\d.]+$/.test(token)) && isIP(token) !== 0;
}

/** Names a hosts file maps for the machine itself: localhost, broadcasthost, ip6-allnodes... */
function isHousekeeping(name: string): boolean {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  if (!n.includes('.')) return /^[a-z0-9_-]+$/i.test(n);
  return (n.length === 21 && n.toLowerCase() === 'localhost.localdomain') || isIpAddress(n); // `0.0.0.0 0.0.0.0`
}

function parseHosts(tokens: string[], list: ParsedList): Status {
  const isBlocking = HOSTS_BLOCK.has(tokens[0]);
  let status: Status = OK;
  for (let i = 1; i < tokens.length; i++) {
    if (isHousekeeping(tokens[i])) continue;
    const s = isBlocking ? add(list.block, tokens[i]) : UNSUPPORTED; // a real mapping, not a block
    if (s > status) status = s;
  }
  return status;
}

function parseAdblock(text: string, list: ParsedList): Status {
  const isAllow = text.startsWith('@@');
  let s = isAllow ? text.slice(2) : text;
  const isExact = !s.startsWith('||');
  if (isExact && (isAllow || !s.startsWith('|'))) return isAllow ? UNSUPPORTED : BAD;
  s = s.slice(isExact ? 1 : 2);
  const dollar = s.indexOf('$');
  if (dollar >= 0) {
    // For DNS only $important means something (it beats allow rules, so it lands in block).
    const mods = s.slice(dollar + 1).split(',');
    if (!mods.every((m) => m.trim().toLowerCase() === 'important')) return UNSUPPORTED;
    s = s.slice(0, dollar);
  }
  if (s.endsWith('^|')) s = s.slice(0, -1);
  if (!s.endsWith('^')) return UNSUPPORTED; // `||example.org` is a URL prefix pattern
  const name = s.slice(0, -1);
  if (URL_CHARS.test(name)) return UNSUPPORTED;
  return add(isAllow ? list.allow : isExact ? list.exact : list.block, name);
}

/** `address=/a/b/target` (block when target is a null address) or `server=/a/b/` (no upstream). */
function parseDnsmasq(text: string, list: ParsedList): Status {
  const eq = text.indexOf('=');
  const rest = text.slice(eq + 1);
  if (!rest.startsWith('/')) return UNSUPPORTED; // `server=192.0.2.1`: an upstream, not a rule
  const parts = rest.split('/'); // ['', a, b, target]
  if (parts.length < 3) return BAD;
  const target = parts[parts.length - 1];
  if (!(eq === 7 ? DNSMASQ_BLOCK.has(target) : target === '')) return UNSUPPORTED; // eq 7: address=
  let status: Status = OK;
  for (let i = 1; i < parts.length - 1; i++) {
    const s = add(list.block, parts[i]);
    if (s > status) status = s;
  }
  return status;
}

/** Adds the wire form of `name` to `set`, or says why it cannot. */
function add(set: Set<string>, name: string): Status {
  const wire = toWire(name);
  if (typeof wire !== 'string') return wire;
  set.add(wire);
  return OK;
}

/** Lowercase wire name of a list entry; single labels (a whole TLD) and odd characters are bad. */
function toWire(raw: string): string | Status {
  let name = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  if (name.includes('*')) return UNSUPPORTED;
  if (NON_ASCII.test(name)) {
    // U+FFFD: bytes that were not UTF-8 (a latin1 list); domainToASCII would drop or map them.
    if (name.includes('\ufffd')) return BAD;
    name = domainToASCII(name);
  } else name = name.toLowerCase();
  if (!NAME_CHARS.test(name) || !name.includes('.') || name.endsWith('.')) return BAD;
  return nameToWire(name) ?? BAD;
}
