/**
 * The volatile store: one LMDB environment under --volatile (RAM-backed /tmp on the router).
 * It survives a restart of telemute (procd respawn, config reload) but not a reboot, and it is
 * never on flash: LMDB cannot memory-map a file on a JFFS2 overlay, and flash wears out.
 * `noSync`: the file is in RAM, so fsync buys nothing; a crash may lose the last writes, which
 * for a cache or a log is a miss, not a corruption (lmdb-js README, noSync).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, type RootDatabase } from 'lmdb';

export type VolatileStore = RootDatabase;

/** Opens (creating) the volatile LMDB environment in `dir`. Throws with the path on failure. */
export function openVolatileStore(dir: string): VolatileStore {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'telemute.mdb');
  try {
    // maxDbs 64: each compiled list version is a sub-database (list-store.ts), and during a swap
    // a list has two; 16 left room for only a handful of lists next to the stats and caches.
    return open({ path, noSync: true, maxDbs: 64, compression: false });
  } catch (err) {
    throw new Error(`volatile store ${path}: ${(err as Error).message}`);
  }
}
