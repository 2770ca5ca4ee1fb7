import { describe, expect, it } from 'vitest';
import { nameToWire } from '../../src/dns/name.js';
import { device, plainList, testPolicy } from '../helpers/policy-env.js';
import type { PolicyEngine } from '../../src/policy/engine.js';
import type { Device } from '../../src/devices/registry.js';

const PHONE = device('aa:bb:cc:00:00:01');
const TV = device('aa:bb:cc:00:00:02', 'tv');
const KID = device('aa:bb:cc:00:00:03', 'kids');
const RELAY = 'fr-app-chat-global-xiaomi-net-1a2b3c.eu-central-1.elb.amazonaws.com';

const ask = (engine: PolicyEngine, name: string, d: Device | null = PHONE) => {
  const r = engine.decide(nameToWire(name)!, d);
  return r === null ? null : `${r.action} ${r.detail}`;
};

describe('policy engine', () => {
  describe('with the default household policy', () => {
    const { engine } = testPolicy();
    it.each([
      ['data.mistat.intl.xiaomi.com', 'block catalog:xiaomi:data.mistat.*.xiaomi.com'],
      ['a.b.tracking.miui.com', 'block catalog:xiaomi:tracking.miui.com'],
      ['tracking.intl.miui.com', 'block catalog:xiaomi:tracking.*.miui.com'],
      [RELAY, 'flag catalog:huami:fr-app-chat-global-xiaomi-net*.*.elb.amazonaws.com'], // in two catalogs: the first names it
      ['account.xiaomi.com', null],
      ['example.org', null],
      ['use-application-dns.net', 'nxdomain bypass:use-application-dns.net'],
      ['mask.icloud.com', 'nxdomain bypass:mask.icloud.com'],
      ['_dns.resolver.arpa', 'nodata bypass:resolver.arpa'],
      ['dns.google', null],
      ['www.google.com', null],
    ])('decides %s: %s', (name, expected) => {
      expect(ask(engine, name)).toBe(expected);
      expect(ask(engine, name, null)).toBe(expected); // an unknown device gets the household's
    });

    it('blocks telemetry whatever the case of the name (names arrive lowercased)', () => {
      expect(ask(engine, 'DATA.MISTAT.INTL.XIAOMI.COM')).toBe('block catalog:xiaomi:data.mistat.*.xiaomi.com');
    });
  });

  describe('groups and per-device overrides', () => {
    const { engine } = testPolicy((doc) => {
      doc.groups = [
        { id: 'tv', name: 'TVs', spec: { catalogs: { '*': 'off', samsung: 'block' } } },
        { id: 'kids', name: 'Kids', spec: { safeSearch: 'strict', blockDoh: true } },
      ];
      doc.devices[PHONE.id] = { sensitive: { xiaomi: 'block' } };
      doc.devices['aa:bb:cc:00:00:09'] = { observe: true };
    });

    it('turns catalogs off for a group, keeping the ones it names', () => {
      expect(ask(engine, 'data.mistat.intl.xiaomi.com', TV)).toBeNull();
      expect(ask(engine, 'data.mistat.intl.xiaomi.com', PHONE)).toMatch(/^block/);
    });

    it('lets a device block a sensitive entry the household only flags', () => {
      expect(ask(engine, RELAY, PHONE)).toMatch(/^block catalog:xiaomi:/);
      expect(ask(engine, RELAY, KID)).toMatch(/^flag catalog:(xiaomi|huami):/);
    });

    it('blocks public DoH resolvers and rewrites search engines for the kids only', () => {
      expect(ask(engine, 'dns.google', KID)).toBe('block doh:dns.google');
      expect(ask(engine, 'dns.google', PHONE)).toBeNull();
      const r = engine.decide(nameToWire('www.google.com')!, KID);
      expect(r).toMatchObject({ action: 'rewrite', target: nameToWire('forcesafesearch.google.com') });
      expect(ask(engine, 'www.google.com', PHONE)).toBeNull();
    });

    it('observes instead of blocking in observe mode', () => {
      expect(ask(engine, 'data.mistat.intl.xiaomi.com', device('aa:bb:cc:00:00:09'))).toBe('flag observe:catalog:xiaomi:data.mistat.*.xiaomi.com');
    });

    it('falls back to the household when the device is in a group that no longer exists', () => {
      expect(ask(engine, 'data.mistat.intl.xiaomi.com', device('aa:bb:cc:00:00:07', 'gone'))).toMatch(/^block/);
    });

    it('sees a change of group at once', () => {
      const d = device('aa:bb:cc:00:00:08');
      expect(ask(engine, 'dns.google', d)).toBeNull();
      d.policy = 'kids';
      expect(ask(engine, 'dns.google', d)).toBe('block doh:dns.google');
    });
  });

  describe('custom rules', () => {
    const { engine } = testPolicy((doc) => {
      doc.groups = [{ id: 'kids', name: 'Kids', spec: {} }];
      doc.rules = [
        { id: 'house-block', text: '||ads.example.org^', scope: 'household', enabled: true },
        { id: 'phone-allow', text: '@@||data.mistat.intl.xiaomi.com^', scope: `device:${PHONE.id}`, enabled: true },
        { id: 'kids-block', text: '/^games[0-9]+\\.example\\.net$/', scope: 'group:kids', enabled: true },
        { id: 'off', text: '||off.example.org^', scope: 'household', enabled: false },
        { id: 'house-allow', text: '@@|safe.ads.example.org^', scope: 'household', enabled: true },
      ];
    });

    it('blocks by a household rule for everyone', () => {
      expect(ask(engine, 'x.ads.example.org', PHONE)).toBe('block rule:house-block');
      expect(ask(engine, 'x.ads.example.org', null)).toBe('block rule:house-block');
    });

    it('lets an allow rule beat a catalog, for that device only', () => {
      expect(ask(engine, 'data.mistat.intl.xiaomi.com', PHONE)).toBe('allow rule:phone-allow');
      expect(ask(engine, 'data.mistat.intl.xiaomi.com', KID)).toMatch(/^block catalog/);
    });

    it('lets an allow rule beat a block rule', () => {
      expect(ask(engine, 'safe.ads.example.org')).toBe('allow rule:house-allow');
    });

    it('applies group rules to members only', () => {
      expect(ask(engine, 'games12.example.net', KID)).toBe('block rule:kids-block');
      expect(ask(engine, 'games12.example.net', PHONE)).toBeNull();
    });

    it('ignores disabled rules', () => {
      expect(ask(engine, 'off.example.org')).toBeNull();
    });

    it('reports a rule that does not compile and keeps the others', () => {
      const t = testPolicy((doc) => {
        doc.rules = [
          { id: 'bad', text: '/(a+)+$/', scope: 'household', enabled: true },
          { id: 'good', text: '||ads.example.org^', scope: 'household', enabled: true },
        ];
      });
      expect(t.engine.ruleErrors().map((e) => e.id)).toEqual(['bad']);
      expect(ask(t.engine, 'ads.example.org')).toBe('block rule:good');
    });
  });

  describe('lists', () => {
    const t = testPolicy((doc) => {
      doc.lists = [
        { id: 'ads', name: 'Ads', url: 'https://lists.example.org/ads.txt', enabled: true, updateHours: 24 },
        { id: 'fixes', name: 'Fixes', url: 'https://lists.example.org/fixes.txt', enabled: true, updateHours: 24 },
        { id: 'trial', name: 'Trial', url: 'https://lists.example.org/trial.txt', enabled: true, updateHours: 24 },
        { id: 'disabled', name: 'Off', url: 'https://lists.example.org/off.txt', enabled: false, updateHours: 24 },
      ];
      doc.household.lists = { '*': 'block', trial: 'observe' };
      doc.groups = [{ id: 'tv', name: 'TV', spec: { lists: { ads: 'off' } } }];
    });
    t.lists.set('ads', plainList(['ads.example.org', 'cdn.example.net']));
    t.lists.set('fixes', plainList([], ['cdn.example.net']));
    t.lists.set('trial', plainList(['new.example.org']));
    t.lists.set('disabled', plainList(['off.example.org']));

    it('blocks a listed name and its subdomains, naming the list and entry', () => {
      expect(ask(t.engine, 'a.ads.example.org')).toBe('block list:ads:ads.example.org');
    });

    it('lets an allow entry of any list beat every block entry', () => {
      expect(ask(t.engine, 'x.cdn.example.net')).toBe('allow list:fixes:cdn.example.net');
    });

    it('observes a list in observe mode', () => {
      expect(ask(t.engine, 'new.example.org')).toBe('flag list:trial:new.example.org');
    });

    it('ignores a disabled list and a list the group turned off', () => {
      expect(ask(t.engine, 'off.example.org')).toBeNull();
      expect(ask(t.engine, 'ads.example.org', TV)).toBeNull();
    });

    it('goes on when a list is not ready yet', () => {
      t.lists.delete('trial');
      expect(ask(t.engine, 'new.example.org')).toBeNull();
    });
  });

  describe('pauses and temporary allows', () => {
    it('allows one name for one device until the time runs out', () => {
      const t = testPolicy();
      t.edit((doc) => doc.allows.push({ device: TV.id, name: 'data.mistat.intl.xiaomi.com', until: t.clock.t + 15 * 60_000 }));
      expect(ask(t.engine, 'x.data.mistat.intl.xiaomi.com', TV)).toBe('allow temporary-allow');
      expect(ask(t.engine, 'data.mistat.intl.xiaomi.com', PHONE)).toMatch(/^block/);
      t.clock.t += 15 * 60_000;
      expect(ask(t.engine, 'data.mistat.intl.xiaomi.com', TV)).toMatch(/^block/);
      t.engine.tick();
      expect(t.engine.doc().allows).toEqual([]);
    });

    it('pauses one device, or the whole house', () => {
      const t = testPolicy();
      t.edit((doc) => (doc.pauses[PHONE.id] = t.clock.t + 60_000));
      expect(ask(t.engine, 'data.mistat.intl.xiaomi.com', PHONE)).toBe('allow pause');
      expect(ask(t.engine, 'data.mistat.intl.xiaomi.com', TV)).toMatch(/^block/);
      t.edit((doc) => (doc.pauses.household = t.clock.t + 60_000));
      expect(ask(t.engine, 'data.mistat.intl.xiaomi.com', TV)).toBe('allow pause');
      t.clock.t += 60_001;
      expect(ask(t.engine, 'data.mistat.intl.xiaomi.com', TV)).toMatch(/^block/);
    });
  });

  describe('schedules', () => {
    // Local time, as the router keeps it: Tuesday 24 November 2026.
    const at = (h: number, m = 0, day = 24) => new Date(2026, 10, day, h, m).getTime();
    const t = testPolicy((doc) => {
      doc.groups = [
        {
          id: 'kids',
          name: 'Kids',
          spec: { schedules: [{ id: 'bedtime', days: [2], from: '21:30', to: '07:00', apply: { blockAll: true } }] },
        },
      ];
      doc.rules = [{ id: 'school', text: '@@||school.example.org^', scope: 'group:kids', enabled: true }];
    }, at(12));

    it('blocks everything but allowed names during the window, crossing midnight', () => {
      expect(ask(t.engine, 'example.org', KID)).toBeNull();
      for (const [time, blocked] of [[at(21, 30), true], [at(23, 59), true], [at(6, 59, 25), true], [at(7, 0, 25), false], [at(21, 29), false], [at(22, 0, 25), false]] as const) {
        t.clock.t = time;
        t.engine.tick();
        expect([new Date(time).toString(), ask(t.engine, 'example.org', KID)]).toEqual([new Date(time).toString(), blocked ? 'block schedule:bedtime' : null]);
      }
    });

    it('keeps allow rules working during the window and other devices untouched', () => {
      t.clock.t = at(23);
      t.engine.tick();
      expect(ask(t.engine, 'www.school.example.org', KID)).toBe('allow rule:school');
      expect(ask(t.engine, 'example.org', PHONE)).toBeNull();
    });
  });

  describe('CNAME chains', () => {
    const { engine } = testPolicy((doc) => {
      doc.rules = [{ id: 'ok', text: '@@||cdn.example.net^', scope: 'household', enabled: true }];
    });
    const wires = (...names: string[]) => names.map((n) => nameToWire(n)!);

    it('finds the first blocked target', () => {
      expect(engine.checkChain(wires('edge.example.com', 'data.mistat.intl.xiaomi.com'), PHONE)?.detail).toBe('catalog:xiaomi:data.mistat.*.xiaomi.com');
    });

    it('ignores flags and rewrites on the chain, and stops at an allowed target', () => {
      expect(engine.checkChain(wires(RELAY, 'www.google.com'), PHONE)).toBeNull();
      expect(engine.checkChain(wires('a.cdn.example.net', 'data.mistat.intl.xiaomi.com'), PHONE)).toBeNull();
    });
  });

  describe('changes', () => {
    it('refuses an invalid change and keeps the document', () => {
      const t = testPolicy();
      const before = t.engine.doc();
      expect(t.engine.change((d) => ((d.household.catalogs as Record<string, string>).xiaomi = 'sometimes'), () => ['household.catalogs.xiaomi: must be block, observe, off'])).toHaveLength(1);
      expect(t.engine.doc()).toBe(before);
      expect(ask(t.engine, 'data.mistat.intl.xiaomi.com')).toMatch(/^block/);
    });
  });
});
