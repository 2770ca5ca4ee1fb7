import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegistry, displayName, isDeviceId } from '../../src/devices/registry.js';
import { createFlashWriter } from '../../src/store/flash.js';

const MAC = '64:09:80:3a:4b:5c';
const vendorOf = (mac: string) => (mac.startsWith('64:09:80') ? { vendor: 'Xiaomi', isPrivate: false } : { vendor: null, isPrivate: (parseInt(mac.slice(0, 2), 16) & 2) !== 0 });
const suggest = (d: { vendor: string | null; dhcpName: string | null }) => (d.vendor === 'Xiaomi' || /^redmi/i.test(d.dhcpName ?? '') ? ['xiaomi'] : []);

let dir: string;
const fresh = (maxDevices?: number) => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'telemute-devices-'));
  return createRegistry({ flash: createFlashWriter(dir), vendorOf, suggest, maxDevices });
};
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('device registry', () => {
  describe('when a device is first seen', () => {
    it('records vendor, suggestion, address and times, and names it vendor + last MAC bytes', () => {
      const r = fresh();
      const d = r.seen(MAC, MAC, '192.168.1.20', 1000);
      expect(d).toMatchObject({ id: MAC, vendor: 'Xiaomi', ips: ['192.168.1.20'], firstSeen: 1000, lastSeen: 1000, suggested: ['xiaomi'] });
      expect(displayName(d)).toBe('Xiaomi 3a:4b:5c');
    });

    it('shows a private (locally administered) address as such, without a vendor', () => {
      const r = fresh();
      expect(displayName(r.seen('da:a1:19:00:00:01', 'da:a1:19:00:00:01', '192.168.1.21', 1))).toBe('Private address 00:00:01');
    });
  });

  describe('when the device changes address', () => {
    it('stays one device and keeps its addresses, newest first, at most 8', () => {
      const r = fresh();
      for (let i = 1; i <= 10; i++) r.seen(MAC, MAC, `192.168.1.${i}`, i);
      r.seen(MAC, MAC, 'fd00::20', 11);
      const d = r.get(MAC)!;
      expect(d.ips[0]).toBe('fd00::20');
      expect(d.ips).toHaveLength(8);
      expect(d.lastSeen).toBe(11);
      expect(r.list()).toHaveLength(1);
    });
  });

  describe('names', () => {
    it('prefers the owner’s name, then the DHCP hostname, then vendor', () => {
      const r = fresh();
      r.seen(MAC, MAC, '192.168.1.20', 1);
      r.setDhcpNames(new Map([[MAC, 'redmi-note-12']]));
      expect(displayName(r.get(MAC)!)).toBe('redmi-note-12');
      r.update(MAC, { name: 'Anna’s phone' });
      expect(displayName(r.get(MAC)!)).toBe('Anna’s phone');
      r.update(MAC, { name: null });
      expect(displayName(r.get(MAC)!)).toBe('redmi-note-12');
    });

    it('names a device first seen after the lease file was read (it got its lease before its first query)', () => {
      const r = fresh();
      r.setDhcpNames(new Map([[MAC, 'redmi-note-12']]));
      r.seen(MAC, MAC, '192.168.1.20', 1);
      expect(r.get(MAC)!.dhcpName).toBe('redmi-note-12');
    });

    it('keeps a hostile DHCP hostname as it is (escaping is the view’s job)', () => {
      const r = fresh();
      r.seen(MAC, MAC, '192.168.1.20', 1);
      r.setDhcpNames(new Map([[MAC, '<script>alert(1)</script>']]));
      expect(displayName(r.get(MAC)!)).toBe('<script>alert(1)</script>');
    });
  });

  describe('when the owner merges a device into another', () => {
    it('answers queries from the merged MAC as the other device', () => {
      const r = fresh();
      const NEW = 'da:a1:19:00:00:02';
      r.seen(MAC, MAC, '192.168.1.20', 1);
      r.seen(NEW, NEW, '192.168.1.40', 2);
      r.update(NEW, { mergeInto: MAC });
      const d = r.seen(NEW, NEW, '192.168.1.41', 3);
      expect(d.id).toBe(MAC);
      expect(d.ips[0]).toBe('192.168.1.41');
      expect(r.get(NEW)!.lastSeen).toBe(3);
    });
  });

  describe('updates', () => {
    it('refuses unknown devices and merging a device into itself or into nothing', () => {
      const r = fresh();
      r.seen(MAC, MAC, '192.168.1.20', 1);
      expect(r.update('02:00:00:00:00:09', { name: 'x' })).toBe('no device 02:00:00:00:00:09');
      expect(r.update(MAC, { mergeInto: MAC })).toMatch(/itself/);
      expect(r.update(MAC, { mergeInto: '02:00:00:00:00:09' })).toMatch(/no device/);
    });
  });

  describe('persistence', () => {
    it('writes a snapshot only when something worth keeping changed, and reads it back', async () => {
      const r = fresh();
      expect(await r.flush()).toBe(0);
      r.seen('ip:192.168.1.99', null, '192.168.1.99', 1); // transient: no write
      expect(await r.flush()).toBe(0);
      r.seen(MAC, MAC, '192.168.1.20', 1);
      r.update(MAC, { policy: 'kids' });
      const bytes = await r.flush();
      expect(bytes).toBeGreaterThan(0);
      expect(await r.flush()).toBe(0); // nothing new
      r.seen(MAC, MAC, '192.168.1.21', 2); // last-seen and address changes ride along, never cause a write
      expect(await r.flush()).toBe(0);
      const snap = JSON.parse(readFileSync(path.join(dir, 'devices.json'), 'utf8'));
      expect(snap.devices.map((d: { id: string }) => d.id)).toEqual([MAC]);
      const again = createRegistry({ flash: createFlashWriter(dir), vendorOf, suggest });
      expect(again.get(MAC)).toMatchObject({ policy: 'kids', vendor: 'Xiaomi' });
    });

    it('takes newer devices from a kept copy (the volatile store) and ignores a corrupt one', async () => {
      const r = fresh();
      r.seen(MAC, MAC, '192.168.1.20', 1);
      await r.flush();
      r.seen(MAC, MAC, '192.168.1.21', 50); // after the snapshot: only the kept copy has it
      const kept = r.serialize();
      const restarted = createRegistry({ flash: createFlashWriter(dir), vendorOf, suggest });
      expect(restarted.get(MAC)!.lastSeen).toBe(1);
      expect(restarted.absorb(kept)).toBe(1);
      expect(restarted.get(MAC)).toMatchObject({ lastSeen: 50, ips: ['192.168.1.21', '192.168.1.20'] });
      expect(restarted.absorb(kept)).toBe(0); // not newer
      expect(restarted.absorb('{"version":1,"devices":[{"id":5}]}')).toBe(0);
      expect(restarted.absorb('garbage')).toBe(0);
    });

    it('starts empty from a corrupt snapshot', async () => {
      const r = fresh();
      await createFlashWriter(dir).write('devices.json', '{not json');
      expect(createRegistry({ flash: createFlashWriter(dir), vendorOf, suggest }).list()).toEqual([]);
      expect(r.list()).toEqual([]);
    });
  });

  describe('when many addresses appear (a scan)', () => {
    it('stays bounded, dropping unknown IP-only devices first', () => {
      const r = fresh(10);
      r.seen(MAC, MAC, '192.168.1.20', 0);
      for (let i = 0; i < 50; i++) r.seen(`ip:10.0.0.${i}`, null, `10.0.0.${i}`, i + 1);
      expect(r.list()).toHaveLength(10);
      expect(r.get(MAC)).toBeDefined();
    });
  });
});

describe('isDeviceId', () => {
  it.each(['aa:bb:cc:dd:ee:ff', 'router', 'ip:192.168.1.20', 'ip:fd00::1'])('accepts %s, an id the registry makes', (id) => {
    expect(isDeviceId(id)).toBe(true);
  });

  it.each(['AA:BB:CC:DD:EE:FF', ' aa:bb:cc:dd:ee:ff', 'aa:bb:cc:dd:ee', 'routers', 'ip:', 'ip:<script>', `ip:${'1'.repeat(46)}`, 'house'])('refuses %j', (id) => {
    expect(isDeviceId(id)).toBe(false);
  });

  it('accepts every id the registry gives a device it sees', () => {
    const r = fresh();
    for (const [id, ip] of [[MAC, '192.168.1.2'], ['router', '127.0.0.1'], ['ip:10.0.0.9', '10.0.0.9']] as const) {
      expect(isDeviceId(r.seen(id, null, ip, 1).id)).toBe(true);
    }
  });
});
