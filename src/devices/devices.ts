/**
 * The devices module, wired: the neighbour table, the DHCP lease watcher, the registry with its
 * flash snapshots, and the identify function the query path calls. main.ts starts and stops it.
 */
import type { Settings } from '../config/settings.js';
import { log, logLimited } from '../log.js';
import { CATALOGS } from '../policy/catalogs.js';
import type { FlashWriter } from '../store/flash.js';
import type { VolatileStore } from '../store/volatile.js';
import { readClientOptions } from './client-options.js';
import { createIdentifier } from './identify.js';
import { createLeaseWatcher, type Lease } from './leases.js';
import { createNeighbourTable } from './neighbours.js';
import { vendorOf } from './oui.js';
import { createRegistry, type Device, type Registry } from './registry.js';
import { createSuggester } from './suggest.js';
import type { Query } from '../resolver/query.js';

export interface DevicesRuntime {
  identify: (q: Query) => Device;
  registry: Registry;
  /** Stops the timers and writes the snapshot (clean shutdown). */
  stop(): Promise<void>;
}

/** Starts the devices module. Nothing here can stop DNS: every failure is logged and survived. */
export function startDevices(settings: Settings, flash: FlashWriter, volatile: VolatileStore | null): DevicesRuntime {
  const d = settings.devices;
  const neighbours = createNeighbourTable({ log: (msg) => logLimited('warn', 'neighbours', msg) });
  const registry = createRegistry({ flash, vendorOf, suggest: createSuggester(CATALOGS) });
  // The flash snapshot is rare; the copy kept in RAM (--volatile) at the last stop is newer.
  const kept = volatile ? readKept(volatile) : null;
  if (kept) log('info', `devices: ${registry.absorb(kept)} updated from the last run`);
  const leases = createLeaseWatcher({
    files: [
      { path: d.dnsmasqLeases, format: 'dnsmasq' },
      { path: d.odhcpdLeases, format: 'odhcpd' },
    ],
    log: (msg) => log('info', msg),
    onChange: (all: Lease[]) => registry.setDhcpNames(hostnamesByMac(all)),
  });
  leases.start();
  void neighbours.refresh();
  const flush = () => registry.flush().catch((err: Error) => log('warn', `devices snapshot not written: ${err.message}`));
  const timer = setInterval(flush, d.flushIntervalS * 1000);
  timer.unref();
  return {
    identify: createIdentifier({ registry, neighbours, readClientOptions, trustedForwarders: new Set(d.trustedForwarders) }),
    registry,
    async stop() {
      clearInterval(timer);
      leases.stop();
      if (volatile) keep(volatile, registry.serialize());
      await registry.flush().catch((err: Error) => log('warn', `devices snapshot not written: ${err.message}`));
    },
  };
}

const KEY = Buffer.from('devices');

/** Last-seen times and addresses change all the time: across a restart they live in RAM, not on flash. */
function keep(store: VolatileStore, json: string) {
  try {
    store.openDB<Buffer, Buffer>('devices', { encoding: 'binary', keyEncoding: 'binary' }).putSync(KEY, Buffer.from(json));
  } catch (err) {
    log('warn', `devices not kept in the volatile store: ${(err as Error).message}`);
  }
}

function readKept(store: VolatileStore): string | null {
  try {
    const v = store.openDB<Buffer, Buffer>('devices', { encoding: 'binary', keyEncoding: 'binary' }).get(KEY);
    return v ? Buffer.from(v).toString('utf8') : null;
  } catch {
    return null;
  }
}

function hostnamesByMac(leases: Lease[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const l of leases) if (l.mac && l.hostname) names.set(l.mac, l.hostname);
  return names;
}
