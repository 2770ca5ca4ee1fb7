/**
 * Fixture of bench/hit-path.mjs (not part of the product bundle): a resolver with a primed cache
 * and a 100k-name blocklist, driven by one reused query packet and a no-op send.
 */
import { loadSettings } from '../src/config/settings.js';
import { parseArgs } from '../src/config/cli.js';
import { nameToWire } from '../src/dns/name.js';
import { scanMessage } from '../src/dns/message.js';
import { makeEntry } from '../src/cache/entry.js';
import { createResolver } from '../src/resolver/resolver.js';
import { createAccessList } from '../src/net/access.js';
import { decode } from '../src/resolver/stages/decode.js';
import { newQuery } from '../src/resolver/query.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openVolatileStore } from '../src/store/volatile.js';
import { compileList } from '../src/policy/list-store.js';
import { parseList } from '../src/policy/list-formats.js';
import { createPolicyEngine } from '../src/policy/engine.js';
import { buildPolicySources } from '../src/policy/sources.js';
import { createPolicyStore } from '../src/policy/policy-store.js';
import { CATALOGS } from '../src/policy/catalogs.js';

function query(name: string, type = 1, edns = false): Buffer {
  const wire = Buffer.from(nameToWire(name)!, 'latin1');
  const head = Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, edns ? 1 : 0]);
  const tail = Buffer.from([0, type, 0, 1]);
  const opt = edns ? Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]) : Buffer.alloc(0);
  return Buffer.concat([head, wire, tail, opt]);
}

function answerFor(q: Buffer): Buffer {
  const r = Buffer.from(q.subarray(0, q.length - (q[11] ? 11 : 0)));
  r[2] = 0x85;
  r[3] = 0x80;
  r[7] = 1;
  r[11] = 0;
  return Buffer.concat([r, Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 198, 51, 100, 1])]);
}

export async function makeBench() {
  const loaded = loadSettings(parseArgs(['--upstream', '127.0.0.1:9', '--admin', 'off']));
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  // A 100k-name list compiled as the product compiles it (LMDB under a temp --volatile), and the
  // default household policy (every catalog, bypass guard) in front of it.
  const lines: string[] = [];
  for (let i = 0; i < 100_000; i++) lines.push(`tracker${i}.example${i % 97}.net`);
  const volatile = openVolatileStore(mkdtempSync(join(tmpdir(), 'telemute-bench-')));
  const list = await compileList(volatile, 'bench', 'h1', parseList(Buffer.from(lines.join('\n'))));
  const engine = createPolicyEngine({
    sources: buildPolicySources(CATALOGS, (id) => (id === 'config-1' ? list : null)),
    store: createPolicyStore(null, () => {}),
    configLists: ['config-1'],
    log: () => {},
  });
  const r = createResolver(loaded.settings, { upstreams: ['127.0.0.1:9'], policy: engine, access: createAccessList(['192.168.0.0/16']) });
  const hit = query('host-1.bench.test', 1, true);
  const ans = answerFor(query('host-1.bench.test'));
  let sent = 0;
  const send = () => void sent++;
  const client = { address: '127.0.0.1', port: 5353 };
  // prime the cache under the key decode computes for the query
  const probe = newQuery(hit, client, 'udp', Date.now());
  decode(probe);
  r.cache.put(makeEntry(probe.key, ans, scanMessage(ans)!, Date.now(), { minTtl: 0, maxTtl: 86400, negativeMaxTtl: 3600, staleTtl: 86400 }));
  const block = query('www.tracker5.example5.net', 1, true);
  const cases = {
    hit: (n: number) => { for (let i = 0; i < n; i++) r.handle(hit, client, 'udp', send); },
    block: (n: number) => { for (let i = 0; i < n; i++) r.handle(block, client, 'udp', send); },
  };
  return { cases, close: () => (r.close(), list.close(), volatile.close()), sent: () => sent, counters: r.counters };
}
