/**
 * Reads a blocklist file: one domain per line, `#` comments, blank lines ignored; a hosts-file
 * line (`0.0.0.0 example.org`) is read as its domain. Bad lines are counted and skipped, never
 * fatal: a list with some bad lines still loads the good ones (blocky's rule). The full list
 * formats (AdBlock, dnsmasq) come with the policy engine.
 */
import { readFileSync } from 'node:fs';
import { nameToWire } from '../dns/name.js';

export interface DomainList {
  /** Lowercase wire names (latin1 strings), the keys the policy stage looks up. */
  wires: Set<string>;
  lines: number;
  bad: number;
  /** The first few bad lines, for the log. */
  samples: string[];
}

const HOSTS_ADDRESS = /^(0\.0\.0\.0|127\.0\.0\.1|::1?|::)\s+/;

/** Parses list text into wire names. */
export function parseDomainList(text: string, into?: DomainList): DomainList {
  const list = into ?? { wires: new Set<string>(), lines: 0, bad: 0, samples: [] };
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    start = end + 1;
    list.lines++;
    const hash = line.indexOf('#');
    if (hash >= 0) line = line.slice(0, hash);
    line = line.trim().replace(HOSTS_ADDRESS, '');
    if (line === '') continue;
    const wire = /\s/.test(line) || line.includes('*') ? null : nameToWire(line);
    if (wire === null || wire === '\0') {
      list.bad++;
      if (list.samples.length < 5) list.samples.push(`line ${list.lines}: ${JSON.stringify(line.slice(0, 80))}`);
      continue;
    }
    list.wires.add(wire);
  }
  return list;
}

/** Reads and parses a list file. Throws (with the path) only if the file cannot be read. */
export function readDomainList(path: string, into?: DomainList): DomainList {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (err) {
    throw new Error(`blocklist ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseDomainList(text, into);
}
