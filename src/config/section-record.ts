/**
 * `config record`: a local answer (dnsmasq's address=/host-record=/cname=, AdGuard's rewrites).
 *
 *   config record
 *       option name 'nas.example.org'
 *       option type 'A'            A, AAAA or CNAME
 *       option value '192.168.1.10'
 *       option ttl '300'           s, default 300
 */
import { compileRecord } from '../resolver/local-records.js';
import { optionReader, type ConfigErrors } from './read-options.js';
import type { UciSection } from './uci.js';

export interface RecordSetting {
  name: string;
  type: string;
  value: string;
  ttl: number;
}

/** Reads every record section, checking each compiles. */
export function readRecordSections(sections: UciSection[], errors: ConfigErrors): RecordSetting[] {
  const out: RecordSetting[] = [];
  for (const section of sections) {
    const o = optionReader(section, errors, ['name', 'type', 'value', 'ttl']);
    const r = { name: o.string('name') ?? '', type: o.string('type') ?? 'A', value: o.string('value') ?? '', ttl: o.int('ttl', 0, 2 ** 31 - 1) ?? 300 };
    try {
      compileRecord(r.name, r.type, r.value, r.ttl);
      out.push(r);
    } catch (err) {
      errors.add(section.line, null, `config record: ${(err as Error).message}`);
    }
  }
  return out;
}
