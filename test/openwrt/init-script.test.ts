/**
 * openwrt/files/telemute.init and telemute.defaults under busybox sh. rc.common, procd and
 * OpenWrt's functions.sh do not exist on Debian: the test defines config_load/config_get*
 * over the stub uci and procd_* functions that print their arguments, sources the init
 * script and calls its functions, then checks what it asked procd for.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, filesDir, stockUci, type UciSection, type UciState } from './helpers/sandbox.js';

const initScript = path.join(filesDir, 'telemute.init');
const defaultsScript = path.join(filesDir, 'telemute.defaults');

const boxes: Sandbox[] = [];
afterEach(() => {
  while (boxes.length) boxes.pop()?.dispose();
});

function telemute(options: Record<string, string | string[]> = {}): UciSection[] {
  return [
    {
      name: 'main',
      type: 'telemute',
      options: {
        enabled: '1',
        listen: ['127.0.0.1:5335'],
        admin: '192.168.1.1:8080',
        state_dir: '/etc/telemute',
        volatile_dir: '/tmp/telemute',
        dnsmasq_integration: '1',
        ...options,
      },
    },
  ];
}

/** Shell prelude standing in for rc.common + functions.sh + procd.sh. */
const PRELUDE = `
config_load() { :; }
config_get() { local v; v="$(uci -q get "telemute.$2.$3")" || v="$4"; eval "$1=\\"\\$v\\""; }
config_get_bool() { config_get "$@"; eval "case \\"\\$$1\\" in 1|on|true|yes|enabled) $1=1;; *) $1=0;; esac"; }
procd_open_instance() { echo "open $*"; }
procd_set_param() { echo "param $*"; }
procd_close_instance() { echo "close"; }
procd_add_reload_trigger() { echo "reload-trigger $*"; }
mkdir() { :; }
`;

async function callInit(box: Sandbox, body: string): Promise<string[]> {
  const script = `${PRELUDE}\n. ${initScript}\nhelper() { echo "helper $*"; }; HELPER=helper\n${body}\n`;
  const out = await box.run(['-c', script]);
  return out.split('\n').filter(Boolean);
}

describe('telemute.init', () => {
  it('starts node with the bundle, musl lmdb, procd respawn, logd and the dnsmasq watchdog', async () => {
    const box = new Sandbox({ ...stockUci(), telemute: telemute() });
    boxes.push(box);
    const out = await callInit(box, 'start_service; service_triggers');
    expect(out).toContain('open telemute');
    const command = out.find((l) => l.startsWith('param command /usr/bin/node'))!;
    expect(command).toMatch(
      /^param command \/usr\/bin\/node --max-old-space-size=\d+ --max-semi-space-size=2 \/usr\/lib\/telemute\/telemute\.mjs --config \/etc\/config\/telemute --state \/etc\/telemute --volatile \/tmp\/telemute$/,
    );
    for (const l of [
      'param env LIBC=musl TZ=UTC', // no zone name in this uci: schedules run on UTC
      'param file /etc/config/telemute',
      'param respawn 3600 5 5',
      'param limits nofile=4096 4096',
      'param stdout 1',
      'param stderr 1',
      'helper start',
      'open dnsmasq-watch',
      'param command /bin/sh helper watch 127.0.0.1#5335', // $HELPER, stubbed here
      'reload-trigger telemute',
    ]) {
      expect(out).toContain(l);
    }
  });

  it('gives dnsmasq back and starts no watchdog when the integration is off', async () => {
    const box = new Sandbox({ ...stockUci(), telemute: telemute({ dnsmasq_integration: '0' }) });
    boxes.push(box);
    const out = await callInit(box, 'start_service');
    expect(out).toContain('helper stop');
    expect(out).toContain('open telemute');
    expect(out).not.toContain('open dnsmasq-watch');
  });

  it('starts nothing and gives dnsmasq back when disabled', async () => {
    const box = new Sandbox({ ...stockUci(), telemute: telemute({ enabled: '0' }) });
    boxes.push(box);
    expect(await callInit(box, 'start_service')).toEqual(['helper stop']);
  });

  it('restores dnsmasq on stop without restarting it at shutdown', async () => {
    const box = new Sandbox({ ...stockUci(), telemute: telemute() });
    boxes.push(box);
    expect(await callInit(box, 'action=stop; stop_service')).toEqual(['helper stop']);
    expect(await callInit(box, 'action=shutdown; stop_service')).toEqual(['helper stop --no-restart']);
  });

  it.each([
    ['127.0.0.1:5335', '127.0.0.1#5335'],
    ['[::1]:5353', '::1#5353'],
    ['192.168.1.1:53', '192.168.1.1#53'],
  ])('turns listen %s into dnsmasq server %s', async (listen, server) => {
    const box = new Sandbox(stockUci());
    boxes.push(box);
    expect(await callInit(box, `dnsmasq_addr '${listen}'`)).toEqual([server]);
  });

  it('sizes the V8 heap from RAM within 48..192 MB', async () => {
    const box = new Sandbox(stockUci());
    boxes.push(box);
    const [mb] = await callInit(box, 'heap_mb');
    expect(Number(mb)).toBeGreaterThanOrEqual(48);
    expect(Number(mb)).toBeLessThanOrEqual(192);
  });

  it('passes passwd through to the bundle with the state directory', async () => {
    const box = new Sandbox({ ...stockUci(), telemute: telemute({ state_dir: '/etc/telemute-x' }) });
    boxes.push(box);
    const out = await callInit(box, 'PROG=echo; passwd');
    expect(out).toEqual(['/usr/lib/telemute/telemute.mjs passwd --state /etc/telemute-x']);
  });
});

describe('telemute.init time zone', () => {
  it("passes the router's zone name as TZ, so the policy's schedules run on local time", async () => {
    const box = new Sandbox({ ...stockUci(), telemute: telemute(), system: [{ name: 'cfg01e48a', type: 'system', options: { zonename: 'Europe/Berlin', timezone: 'CET-1CEST,M3.5.0,M10.5.0/3' } }] });
    boxes.push(box);
    expect(await callInit(box, 'start_service')).toContain('param env LIBC=musl TZ=Europe/Berlin');
  });
});

describe('telemute.defaults (uci-defaults)', () => {
  it('moves the admin page to the LAN address, enables, and adopts dnsmasq plain upstreams', async () => {
    const state: UciState = {
      ...stockUci({ server: ['/corp.example.net/10.0.0.1', '9.9.9.9', '2620:fe::fe#5353', '1.1.1.1@wan'] }),
      telemute: telemute({ enabled: '0' }),
    };
    state.network[0].options.ipaddr = '10.1.2.1/24';
    const box = new Sandbox(state);
    boxes.push(box);
    await box.run([defaultsScript]);
    expect(box.uci().telemute[0].options).toMatchObject({
      enabled: '1',
      admin: '10.1.2.1:8080',
      upstream: ['udp://9.9.9.9:53', 'udp://[2620:fe::fe]:5353', 'udp://1.1.1.1:53'],
    });
    expect(box.lines('commits')).toEqual(['commit telemute']);
  });

  it('keeps an admin address and upstreams someone already set', async () => {
    const box = new Sandbox({ ...stockUci({ server: ['9.9.9.9'] }), telemute: telemute({ admin: '192.168.1.1:9000', upstream: ['udp://192.0.2.53:53'] }) });
    boxes.push(box);
    await box.run([defaultsScript]);
    expect(box.uci().telemute[0].options).toMatchObject({ admin: '192.168.1.1:9000', upstream: ['udp://192.0.2.53:53'] });
  });
});
