/**
 * The fuzz harness shared by test/fuzz/pipeline.test.ts (100 000 packets in `npm test`) and
 * bench/fuzz.mjs (10⁶ packets): random and mutated packets through the real resolver
 * (createResolver), with the default upstream set answering instantly from a script instead of
 * the network. It records every problem: a throw, a failed stage, a reply that is not a
 * well-formed DNS response to its query.
 */
import { testPolicy } from '../helpers/policy-env.js';
import { parseArgs } from '../../src/config/cli.js';
import { loadSettings } from '../../src/config/settings.js';
import { RCODE } from '../../src/dns/constants.js';
import { scanMessage } from '../../src/dns/message.js';
import { nameToWire } from '../../src/dns/name.js';
import { createAccessList } from '../../src/net/access.js';
import { createResolver } from '../../src/resolver/resolver.js';
import type { Transport } from '../../src/resolver/query.js';
import { parseUpstream } from '../../src/upstream/server.js';
import type { Resolved } from '../../src/upstream/upstream-set.js';
import { T, aRdata, buildQuery, buildResponse, soaRdata, wireName } from '../helpers/packets.js';

/** xorshift32: a seeded PRNG, so a failure can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  return { next, int: (n: number) => next() % n, chance: (p: number) => next() / 0x1_0000_0000 < p };
}

const CONFIG = `
config telemute 'main'
	option admin 'off'
config record
	option name 'nas.example.org'
	option value '192.0.2.10'
config record
	option name 'cdn.example.org'
	option type 'CNAME'
	option value 'edge.example.net'
`;

const mac = { code: 65001, data: Buffer.from([2, 0, 0x5e, 0x10, 0, 1]) };
const cookie = { code: 10, data: Buffer.from('0123456789abcdef', 'latin1') };
const SEEDS: Buffer[] = [
  buildQuery({ name: 'www.example.org' }),
  buildQuery({ name: 'WWW.Example.ORG', type: T.AAAA, cd: true, edns: { do: true, options: [mac, cookie] } }),
  buildQuery({ name: 'ads.example.org', type: T.A, edns: { udpSize: 4096, options: [mac] } }),
  buildQuery({ name: 'x.tracker.example.net', type: T.MX }),
  buildQuery({ name: 'localhost', type: T.AAAA, edns: {} }),
  buildQuery({ name: '1.1.168.192.in-addr.arpa', type: T.PTR, edns: { do: true } }),
  buildQuery({ name: 'nas.example.org', type: T.A }),
  buildQuery({ name: 'cdn.example.org', type: T.A, edns: {} }),
  buildQuery({ name: 'big.example.net', type: T.TXT, edns: { udpSize: 512 } }),
  buildQuery({ name: 'big.example.net', type: T.TXT }),
  buildQuery({ name: 'nx.example.org', type: T.A, edns: { version: 1 } }),
  buildQuery({ name: 'fail.example.net', type: T.A, opcode: 0, edns: { options: [cookie] } }),
  buildQuery({ name: 'onion.example.org.onion', type: T.A }),
  buildQuery({ name: 'www.example.org', opcode: 2 }),
];

/** The scripted upstream: the answer depends on the first letter of the name. */
function script(query: Buffer): Buffer | null {
  const first = query[13];
  switch (first % 6) {
    case 0:
      return null;
    case 1:
      return buildResponse(query, { rcode: RCODE.SERVFAIL, edns: {} });
    case 2:
      return buildResponse(query, { rcode: RCODE.NXDOMAIN, authority: [{ name: 'example.org', type: T.SOA, ttl: 60, rdata: soaRdata({ minimum: 30 }) }], edns: {} });
    case 3:
      return buildResponse(query, { answers: Array.from({ length: 40 }, (_, i) => ({ type: T.TXT, ttl: 30, rdata: Buffer.concat([Buffer.from([20]), Buffer.alloc(20, 0x61 + (i % 26))]) })), edns: {} });
    case 4:
      return buildResponse(query, {
        answers: [
          { type: T.CNAME, ttl: 100, rdata: wireName('edge.example.net') },
          { name: 'edge.example.net', type: T.A, ttl: 50, rdata: aRdata('192.0.2.44') },
        ],
        edns: { do: true },
        afterOpt: [{ name: 'x.example.net', type: T.A, ttl: 5, rdata: aRdata('192.0.2.45') }],
      });
    default:
      return buildResponse(query, { answers: [{ type: T.A, ttl: 1 + (first % 3), rdata: aRdata('192.0.2.1') }], edns: {} });
  }
}

/** A valid query for a random name under example.org/.net, in random case, with random type, flags and EDNS. */
function randomQuery(r: ReturnType<typeof prng>): Buffer {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-';
  const labels = Array.from({ length: r.int(4) }, () => Array.from({ length: 1 + r.int(12) }, () => alphabet[r.int(alphabet.length)]).join(''));
  const name = [...labels, r.chance(0.5) ? 'example.org' : 'EXAMPLE.net'].join('.');
  const types = [T.A, T.AAAA, T.MX, T.TXT, T.CNAME, T.ANY, T.PTR, T.SOA, 65, 64, r.int(65536)];
  const edns = r.chance(0.6) ? { do: r.chance(0.5), udpSize: r.int(5000), options: r.chance(0.5) ? [mac] : [] } : undefined;
  return buildQuery({ id: r.int(65536), name, type: types[r.int(types.length)], cd: r.chance(0.2), ad: r.chance(0.2), rd: r.chance(0.9), edns });
}

function mutate(r: ReturnType<typeof prng>, seed: Buffer): Buffer {
  let b = Buffer.from(seed);
  const rounds = r.chance(0.5) ? 1 : 1 + r.int(3);
  for (let k = 0; k < rounds; k++) {
    switch (r.int(6)) {
      case 0: {
        const flips = 1 + r.int(4);
        for (let i = 0; i < flips && b.length > 0; i++) b[r.int(b.length)] ^= 1 << r.int(8);
        break;
      }
      case 1:
        b = b.subarray(0, r.int(b.length + 1));
        break;
      case 2: {
        const at = r.int(b.length + 1);
        const extra = Buffer.from(Array.from({ length: 1 + r.int(4) }, () => r.int(256)));
        b = Buffer.concat([b.subarray(0, at), extra, b.subarray(at)]);
        break;
      }
      case 3:
        if (b.length >= 12) b.writeUInt16BE(r.chance(0.5) ? r.int(4) : r.int(65536), 4 + 2 * r.int(4));
        break;
      case 4:
        if (b.length > 0) b[r.int(b.length)] = r.int(256);
        break;
      default:
        if (b.length >= 4) b[2] = r.int(256);
        break;
    }
  }
  return b;
}

export interface FuzzResult {
  problems: string[];
  fed: number;
  sent: number;
  answered: number;
  asked: number;
  crashes: number;
  stageErrors: [string, number][];
  counters: Record<string, number>;
  tookMs: number;
}

/** Feeds `packets` packets (seeded: the same seed replays the same run) and reports. */
export async function runFuzz(packets: number, seed: number): Promise<FuzzResult> {
  const loaded = loadSettings(parseArgs(['--admin', 'off', '--upstream', '127.0.0.1:9', '--config', '/virtual/telemute']), () => CONFIG);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  // The real engine: bundled catalogs, bypass guard, and rules of every kind, so the fuzz reaches them.
  const policy = testPolicy((doc) => {
    doc.rules = ['||ads.example.org^', '||tracker.example.net^', '|example.invalid^', 'ad*.example.com', '/^x[0-9]+\\.example\\.net$/', '@@||ok.ads.example.org^'].map((text, i) => ({ id: `r${i}`, text, scope: 'household', enabled: true }));
    doc.household.safeSearch = 'strict';
  }).engine;
  // A stepped clock: 2 ms per packet, so 100k packets see ~200 s of TTLs expire, fail and go stale.
  const clock = { t: 1_700_000_000_000 };
  const resolver = createResolver(loaded.settings, { upstreams: ['127.0.0.1:9'], policy, access: createAccessList(['192.168.1.0/24'], () => []), now: () => clock.t });
  const upstream = parseUpstream('127.0.0.1:9');
  let asked = 0;
  // Replace the network with the script: the stages hold this same object.
  resolver.defaultUpstreams.resolve = async (query: Buffer): Promise<Resolved | null> => {
    asked++;
    const response = asked % 5 === 0 ? null : script(query); // now and then an outage, so stale answers get served
    if (response === null) return null;
    return { response, scan: scanMessage(response)!, upstream };
  };
  const write = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write; // the resolver's rate-limited logs
  try {
    const r = prng(seed);
    const problems: string[] = [];
    let sent = 0;
    let answered = 0;
    let fed = 0;
    const t0 = Date.now();
    const clients = [
      { address: '127.0.0.1', port: 5353 },
      { address: '192.168.1.20', port: 40000 },
      { address: '203.0.113.9', port: 40001 },
    ];
    for (let i = 0; i < packets; i++) {
      const dice = r.int(100);
      const raw =
        dice < 25 ? Buffer.from(Array.from({ length: r.int(601) }, () => r.int(256)))
        : dice < 40 ? randomQuery(r)
        : mutate(r, dice < 70 ? SEEDS[r.int(SEEDS.length)] : randomQuery(r));
      const transport: Transport = r.chance(0.2) ? 'tcp' : 'udp';
      const frozen = Buffer.from(raw);
      let calls = 0;
      resolver.handle(raw, clients[r.int(clients.length)], transport, (reply) => {
        calls++;
        sent++;
        if (calls > 1) problems.push(`packet ${i}: send called twice`);
        if (!raw.equals(frozen)) problems.push(`packet ${i}: the query bytes were changed`);
        if (reply === null) return;
        answered++;
        const hex = frozen.toString('hex');
        if (reply.length < 12) return void problems.push(`packet ${i}: reply of ${reply.length} bytes for ${hex}`);
        if (!(reply[2] & 0x80)) problems.push(`packet ${i}: reply without QR for ${hex}`);
        if (reply[0] !== frozen[0] || reply[1] !== frozen[1]) problems.push(`packet ${i}: reply ID differs for ${hex}`);
        if (reply.length === 12) return;
        const scan = scanMessage(reply);
        if (scan === null) return void problems.push(`packet ${i}: malformed reply ${reply.toString('hex')} for ${hex}`);
        // The question comes back byte for byte as the client sent it (its case included).
        if (!reply.subarray(12, scan.questionEnd).equals(frozen.subarray(12, scan.questionEnd))) problems.push(`packet ${i}: question changed in ${reply.toString('hex')} for ${hex}`);
        if (transport === 'udp' && reply.length > 65535) problems.push(`packet ${i}: oversized UDP reply`);
      });
      fed++;
      clock.t += 2;
      if ((i & 1023) === 0) await new Promise((done) => setImmediate(done)); // let async stages settle
    }
    for (let spins = 0; sent < fed && spins < 2000; spins++) await new Promise((done) => setTimeout(done, 5));
    return {
      problems,
      fed,
      sent,
      answered,
      asked,
      crashes: resolver.handlerStats.crashes,
      stageErrors: Object.entries(resolver.pipeline.stageErrors).filter(([, n]) => n > 0),
      counters: { ...resolver.counters },
      tookMs: Date.now() - t0,
    };
  } finally {
    process.stderr.write = write;
    resolver.close();
  }
}
