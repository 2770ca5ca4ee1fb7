/** Fake UpstreamSets for stage tests: scripted answers, every call recorded. */
import { scanMessage } from '../../src/dns/message.js';
import { parseUpstream } from '../../src/upstream/server.js';
import type { Resolved, UpstreamSet } from '../../src/upstream/upstream-set.js';

export interface FakeSet extends UpstreamSet {
  calls: { query: Buffer; deadline: number }[];
}

/** A set whose resolve() hands the query to `answer` (bytes, null, or a promise of either). */
export function fakeSet(name: string, answer: (query: Buffer) => Buffer | null | Promise<Buffer | null>, url = 'udp://192.0.2.53:53'): FakeSet {
  const upstream = parseUpstream(url);
  const calls: FakeSet['calls'] = [];
  return {
    name,
    upstreams: [upstream],
    calls,
    async resolve(query: Buffer, deadline: number): Promise<Resolved | null> {
      calls.push({ query: Buffer.from(query), deadline });
      const response = await answer(query);
      if (response === null) return null;
      const scan = scanMessage(response);
      if (scan === null) throw new Error('fake upstream built a malformed response');
      return { response, scan, upstream };
    },
  };
}
