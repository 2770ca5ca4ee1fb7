/**
 * --blocklist FILE against a real knotd: listed names and their subdomains are blocked, names
 * that merely share a suffix string (unblocked.example.org) or a parent (sibling) are not.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildQuery, kdig, readHeader, udpExchange, type KdigResult } from '../helpers/kdig.js';
import { startKnot, type Knot } from '../helpers/knot.js';
import { ensureBuilt, startTelemute, waitForLog, type Telemute } from '../helpers/telemute.js';

let knot: Knot;
let tm: Telemute;
let dir: string;

beforeAll(async () => {
  await ensureBuilt();
  knot = await startKnot({ zones: ['example.org'] });
  dir = mkdtempSync(path.join(os.tmpdir(), 'telemute-blocklist-'));
  const list = path.join(dir, 'blocklist.txt');
  const lines = ['# e2e blocklist: comments and blank lines are skipped', '', 'blocked.example.org', '# sibling.example.org', 'UPPER.Example.ORG', '  spaced.example.org\t'];
  writeFileSync(list, `${lines.join('\n')}\n`);
  tm = await startTelemute(['--upstream', `127.0.0.1:${knot.port}`, '--blocklist', list, '--admin', 'off']);
  // DNS answers at once; the list blocks from the moment it is compiled (a few ms for this one).
  await waitForLog(tm, /list config-1: \d+ block/);
}, 200_000);

afterAll(async () => {
  await tm?.stop();
  await knot?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Blocked means NXDOMAIN, or NOERROR with only the sinkhole address (none for other types). */
function expectBlocked(r: KdigResult, type: string): void {
  if (r.rcode === 'NXDOMAIN') {
    expect(r.answer).toEqual([]);
    return;
  }
  expect(r.rcode).toBe('NOERROR');
  const sinkhole: Record<string, string[]> = { A: ['0.0.0.0'], AAAA: ['::'] };
  expect(r.answer.map((rr) => rr.data)).toEqual(sinkhole[type] ?? []);
}

/** RDATA of the first answer record of a one-question message. */
function firstRdata(msg: Buffer): Buffer {
  const skipName = (off: number) => {
    while (msg[off] !== 0 && msg[off] < 0xc0) off += msg[off] + 1;
    return msg[off] === 0 ? off + 1 : off + 2;
  };
  const rr = skipName(skipName(12) + 4);
  return msg.subarray(rr + 10, rr + 10 + msg.readUInt16BE(rr + 8));
}

describe('resolver e2e', { timeout: 15_000 }, () => {
  describe('when a name is on the blocklist', () => {
    it.each(['A', 'AAAA', 'MX', 'TXT'])('blocks blocked.example.org %s', async (type) => {
      expectBlocked(await kdig(tm.port, 'blocked.example.org', type), type);
    });

    it('says why with EDNS: Extended DNS Error 15 Blocked or 17 Filtered (RFC 8914)', async () => {
      const r = await kdig(tm.port, 'blocked.example.org', 'A', ['+bufsize=1232']);
      expectBlocked(r, 'A');
      expect([15, 17]).toContain(r.opt?.ede?.code);
    });

    it('blocks it over TCP too', async () => {
      expectBlocked(await kdig(tm.port, 'blocked.example.org', 'A', ['+tcp']), 'A');
    });

    it('blocks its subdomain sub.blocked.example.org', async () => {
      expectBlocked(await kdig(tm.port, 'sub.blocked.example.org', 'A'), 'A');
      expectBlocked(await kdig(tm.port, 'sub.blocked.example.org', 'AAAA'), 'AAAA');
    });

    it.each(['upper.example.org', 'spaced.example.org'])('blocks %s, listed in upper case or with blanks around it', async (name) => {
      expectBlocked(await kdig(tm.port, name, 'A'), 'A');
    });

    it('blocks it whatever the case of the query (BlOcKeD.example.org)', async () => {
      const reply = await udpExchange(tm.port, buildQuery('BlOcKeD.ExAmPlE.oRg', 'A'));
      expect(reply).not.toBeNull();
      const h = readHeader(reply!);
      expect(h.qr).toBe(true);
      if (h.rcode === 0) {
        expect(h.ancount).toBe(1);
        expect([...firstRdata(reply!)]).toEqual([0, 0, 0, 0]);
      } else expect(h.rcode).toBe(3);
    });
  });

  describe('when a name is not on the blocklist', () => {
    it('does not take a label holding a dot byte (sub\\.blocked) for a subdomain', async () => {
      const reply = await udpExchange(tm.port, buildQuery(['sub.blocked', 'example', 'org'], 'A'));
      expect(reply && readHeader(reply)).toMatchObject({ qr: true, rcode: 3, ancount: 0 }); // knot's NXDOMAIN
    });

    it.each([
      ['sibling.example.org', '203.0.113.68'],
      ['unblocked.example.org', '203.0.113.69'],
      ['example.org', '192.0.2.1'],
    ])('answers %s from upstream', async (name, addr) => {
      const r = await kdig(tm.port, name, 'A');
      expect(r.rcode).toBe('NOERROR');
      expect(r.answer.map((rr) => rr.data)).toEqual([addr]);
    });
  });
});
