/**
 * openwrt/files/telemute-dnsmasq.sh against a stub `uci` (OpenWrt's uci is not packaged for
 * Debian, so a file-backed stand-in is the only way to run the script here) and a stand-in
 * dnsmasq init script that only counts restarts. fail-open.test.ts runs the same script
 * against a real dnsmasq.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, stockUci } from './helpers/sandbox.js';

const ADDR = '127.0.0.1#5335';
const boxes: Sandbox[] = [];
function sandbox(...args: ConstructorParameters<typeof Sandbox>): Sandbox {
  const box = new Sandbox(...args);
  boxes.push(box);
  return box;
}
afterEach(() => {
  while (boxes.length) boxes.pop()?.dispose();
});

const confText = (addr: string) =>
  `# Written by /etc/init.d/telemute; removed when telemute stops.\nno-resolv\nserver=${addr}\nadd-mac\nadd-subnet=32,128\nstrip-mac\nstrip-subnet\n`;

describe('telemute-dnsmasq.sh', () => {
  describe('when dnsmasq has no plain upstream servers (the stock config)', () => {
    it('writes the conf-dir file named by the generated dnsmasq config and restarts dnsmasq once', async () => {
      const box = sandbox(stockUci({ server: ['/corp.example.net/10.0.0.1'] }));
      const before = box.uci();
      await box.helper('apply', ADDR);
      expect(fs.readFileSync(`${box.confDir}/telemute.conf`, 'utf8')).toBe(confText(ADDR));
      expect(box.lines('dnsmasq-restarts')).toEqual(['restart']);
      // Nothing on flash: the dhcp config is untouched and never committed.
      expect(box.uci()).toEqual(before);
      expect(box.lines('commits')).toEqual([]);
      expect(await box.helper('status')).toBe('applied\n');
    });

    it('is idempotent: a second apply changes nothing and does not restart dnsmasq', async () => {
      const box = sandbox(stockUci());
      await box.helper('apply', ADDR);
      await box.helper('apply', ADDR);
      expect(box.lines('dnsmasq-restarts')).toEqual(['restart']);
    });

    it('rewrites the file and restarts when the listen address changes', async () => {
      const box = sandbox(stockUci());
      await box.helper('apply', ADDR);
      await box.helper('apply', '::1#5353');
      expect(fs.readFileSync(`${box.confDir}/telemute.conf`, 'utf8')).toBe(confText('::1#5353'));
      expect(box.lines('dnsmasq-restarts')).toHaveLength(2);
    });

    it('restore removes the file, restarts dnsmasq, and a second restore is a no-op', async () => {
      const box = sandbox(stockUci());
      const before = box.uci();
      await box.helper('apply', ADDR);
      await box.helper('restore');
      await box.helper('restore');
      expect(fs.existsSync(`${box.confDir}/telemute.conf`)).toBe(false);
      expect(box.uci()).toEqual(before);
      expect(box.lines('dnsmasq-restarts')).toEqual(['restart', 'restart']);
      expect(await box.helper('status')).toBe('restored\n');
    });
  });

  describe('when dnsmasq lists plain upstream servers', () => {
    const servers = ['/corp.example.net/10.0.0.1', '9.9.9.9', '/example.org/', '2620:fe::fe#53'];

    it('parks them on flash, keeps the /domain/ ones, and restores the list in its order', async () => {
      const box = sandbox(stockUci({ noresolv: '1', server: servers }));
      const before = box.uci();
      await box.helper('apply', ADDR);
      expect(box.uci().dhcp[0].options.server).toEqual(['/corp.example.net/10.0.0.1', '/example.org/']);
      expect(box.lines('etc/telemute/dnsmasq-servers')).toEqual(servers);
      expect(box.lines('commits')).toEqual(['commit dhcp']);

      await box.helper('apply', ADDR);
      expect(box.lines('commits')).toEqual(['commit dhcp']);

      await box.helper('restore');
      expect(box.uci()).toEqual(before);
      expect(fs.existsSync(box.path('etc/telemute/dnsmasq-servers'))).toBe(false);
      expect(box.lines('dnsmasq-restarts')).toEqual(['restart', 'restart']);
    });

    it('keeps servers the admin added while telemute ran', async () => {
      const box = sandbox(stockUci({ server: ['9.9.9.9'] }));
      await box.helper('apply', ADDR);
      const state = box.uci();
      state.dhcp[0].options.server = ['/lan.example.net/192.0.2.53'];
      box.setUci(state);
      await box.helper('restore');
      expect(box.uci().dhcp[0].options.server).toEqual(['9.9.9.9', '/lan.example.net/192.0.2.53']);
    });

    it('restores after an unclean stop (power cut: the /tmp file is gone, the backup is not)', async () => {
      const box = sandbox(stockUci({ server: ['9.9.9.9'] }));
      const before = box.uci();
      await box.helper('apply', ADDR);
      fs.rmSync(`${box.confDir}/telemute.conf`);
      expect(await box.helper('status')).toBe('applied\n');
      await box.helper('restore');
      expect(box.uci()).toEqual(before);
    });
  });

  describe('conf-dir', () => {
    it('falls back to the uci confdir option when dnsmasq never generated its config', async () => {
      const box = sandbox(stockUci({ confdir: '' }));
      fs.rmSync(box.path('var/etc/dnsmasq.conf.cfg01411c'));
      const state = box.uci();
      state.dhcp[0].options.confdir = `${box.dir}/confdir,*.conf`;
      box.setUci(state);
      await box.helper('apply', ADDR);
      expect(fs.existsSync(`${box.dir}/confdir/telemute.conf`)).toBe(true);
    });
  });

  describe('watchdog (check)', () => {
    it('applies only after two good probes and fails open after two bad ones', async () => {
      const box = sandbox(stockUci());
      await box.helper('start');
      box.fakeListen(5335);
      await box.helper('check', ADDR);
      expect(await box.helper('status')).toBe('restored\n');
      await box.helper('check', ADDR);
      expect(await box.helper('status')).toBe('applied\n');

      box.fakeStopListening();
      await box.helper('check', ADDR);
      expect(await box.helper('status')).toBe('applied\n');
      await box.helper('check', ADDR);
      expect(await box.helper('status')).toBe('restored\n');
      expect(box.lines('log').some((l) => l.includes('failing open'))).toBe(true);
    });

    it('matches a wildcard bind and ignores other ports', async () => {
      const box = sandbox(stockUci());
      await box.helper('start');
      fs.appendFileSync(box.path('proc/udp'), '   7: 00000000:14D8 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0 0\n');
      await box.helper('check', ADDR);
      await box.helper('check', ADDR);
      expect(await box.helper('status')).toBe('restored\n');
      await box.helper('check', '127.0.0.1#5336');
      await box.helper('check', '127.0.0.1#5336');
      expect(await box.helper('status')).toBe('applied\n');
    });

    it('does nothing after stop, even while telemute still listens', async () => {
      const box = sandbox(stockUci({ server: ['9.9.9.9'] }));
      const before = box.uci();
      await box.helper('start');
      box.fakeListen(5335);
      await box.helper('check', ADDR);
      await box.helper('check', ADDR);
      await box.helper('stop');
      expect(box.uci()).toEqual(before);
      await box.helper('check', ADDR);
      await box.helper('check', ADDR);
      expect(await box.helper('status')).toBe('restored\n');
    });
  });
});
