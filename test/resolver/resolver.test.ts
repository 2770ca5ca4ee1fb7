import { testPolicy } from '../helpers/policy-env.js';
import { afterEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/config/cli.js';
import { loadSettings } from '../../src/config/settings.js';
import { scanMessage } from '../../src/dns/message.js';
import { nameToWire } from '../../src/dns/name.js';
import { createAccessList } from '../../src/net/access.js';
import { createResolver, type Resolver } from '../../src/resolver/resolver.js';
import type { Transport } from '../../src/resolver/query.js';
import { parseUpstream } from '../../src/upstream/server.js';
import { T, aRdata, buildQuery, buildResponse, parse, type QuerySpec } from '../helpers/packets.js';

const T0 = 1_700_000_000_000;
let resolver: Resolver | null = null;
afterEach(() => {
  resolver?.close();
  resolver = null;
});

/** A resolver from real settings whose default upstream set answers from a script. */
function make() {
  const loaded = loadSettings(parseArgs(['--admin', 'off', '--upstream', '192.0.2.53']));
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const clock = { t: T0 };
  const r = createResolver(loaded.settings, {
    upstreams: ['192.0.2.53'],
    policy: testPolicy((doc) => (doc.rules = [{ id: 'ads', text: '||ads.example.org^', scope: 'household', enabled: true }])).engine,
    access: createAccessList(['192.168.1.0/24'], () => []),
    now: () => clock.t,
  });
  resolver = r;
  const asked: Buffer[] = [];
  const upstream = parseUpstream('192.0.2.53');
  r.defaultUpstreams.resolve = async (query) => {
    asked.push(query);
    const response = buildResponse(query, { answers: [{ type: T.A, ttl: 60, rdata: aRdata('192.0.2.80') }] });
    return { response, scan: scanMessage(response)!, upstream };
  };
  const ask = (spec: QuerySpec, transport: Transport = 'udp', address = '127.0.0.1') =>
    new Promise<Buffer | null>((done) => r.handle(buildQuery(spec), { address, port: 5000 }, transport, (reply) => done(reply)));
  return { r, clock, asked, ask };
}

describe('createResolver', () => {
  describe('when a name is asked twice', () => {
    it('asks upstream once, then answers from the cache with TTLs counted down', async () => {
      const { r, clock, asked, ask } = make();
      const first = parse((await ask({ id: 1, name: 'www.example.org' }))!);
      expect(first.answers[0]).toMatchObject({ type: T.A, ttl: 60 });
      clock.t += 10_000;
      const second = parse((await ask({ id: 2, name: 'WWW.example.org' }))!);
      expect(second.header.id).toBe(2);
      expect(second.question!.name).toBe('WWW.example.org');
      expect(second.answers[0].ttl).toBe(50);
      expect(asked).toHaveLength(1);
      expect(r.counters).toMatchObject({ total: 2, resolved: 1, cached: 1 });
    });
  });

  describe('when the stages answer themselves', () => {
    it('blocks, answers localhost and refuses strangers without asking upstream', async () => {
      const { r, asked, ask } = make();
      expect(Array.from(parse((await ask({ name: 'x.ads.example.org' }))!).answers[0].rdata)).toEqual([0, 0, 0, 0]);
      expect(Array.from(parse((await ask({ name: 'localhost' }))!).answers[0].rdata)).toEqual([127, 0, 0, 1]);
      expect(parse((await ask({ name: 'www.example.org' }, 'udp', '203.0.113.7'))!).header.rcode).toBe(5);
      expect(await ask({ qr: true })).toBeNull();
      expect(asked).toHaveLength(0);
      expect(r.counters).toMatchObject({ blocked: 1, local: 1, refused: 1, dropped: 1 });
    });
  });

  describe('when the upstream list changes', () => {
    it('replaces the default set in place', () => {
      const { r } = make();
      r.setUpstreams(['192.0.2.1', 'tcp://192.0.2.2']);
      expect(r.defaultUpstreams.upstreams.map((u) => u.url)).toEqual(['udp://192.0.2.1:53', 'tcp://192.0.2.2:53']);
    });
  });
});
