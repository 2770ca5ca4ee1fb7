/** Builds decoded Query contexts for stage tests. */
import { decode } from '../../src/resolver/stages/decode.js';
import { newQuery, type Query, type Transport } from '../../src/resolver/query.js';
import { buildQuery, type QuerySpec } from '../helpers/packets.js';

export interface FixtureOptions {
  transport?: Transport;
  address?: string;
  port?: number;
  now?: number;
}

/** A query context after decode (throws if decode did not accept the query). */
export function decodedQuery(spec: QuerySpec | Buffer = {}, o: FixtureOptions = {}): Query {
  const raw = Buffer.isBuffer(spec) ? spec : buildQuery(spec);
  const q = newQuery(raw, { address: o.address ?? '127.0.0.1', port: o.port ?? 40000 }, o.transport ?? 'udp', o.now ?? 1_000_000);
  const v = decode(q);
  if (v.kind !== 'next') throw new Error(`decode answered ${v.kind}`);
  return q;
}
