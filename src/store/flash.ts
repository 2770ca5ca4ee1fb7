/**
 * Writes to the flash directory (--state), and counts them. Flash wears out: every writer goes
 * through here, so the bytes and batches telemute puts on flash are known (shown by the health
 * endpoint, checked against the budget in docs/performance.md). Each write is atomic.
 */
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { removeStaleTemps, writeFileAtomic } from './atomic-file.js';

export interface FlashCounters {
  /** Bytes written (file contents; the filesystem adds its own metadata). */
  bytes: number;
  /** Atomic file replacements. */
  batches: number;
  /** Files deleted (retention): each costs a directory-block write, not the file's bytes. */
  removes: number;
  /** Per file name. */
  byFile: Record<string, { bytes: number; batches: number }>;
}

export interface FlashWriter {
  /** Replaces `name` in the state directory with `data`, atomically. */
  write(name: string, data: string | Uint8Array): Promise<void>;
  /** Deletes `name` from the state directory; resolves false if it was not there. */
  remove(name: string): Promise<boolean>;
  counters(): FlashCounters;
  readonly dir: string;
}

/**
 * A writer for the state directory `dir`. Temporary files a killed write left in `dir` and its
 * subdirectories are deleted first (see removeStaleTemps): nothing else would ever remove them.
 */
export function createFlashWriter(dir: string): FlashWriter {
  removeStaleTemps(dir);
  const counters: FlashCounters = { bytes: 0, batches: 0, removes: 0, byFile: {} };
  return {
    dir,
    async write(name, data) {
      await writeFileAtomic(join(dir, name), data);
      const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
      counters.bytes += size;
      counters.batches++;
      const f = (counters.byFile[name] ??= { bytes: 0, batches: 0 });
      f.bytes += size;
      f.batches++;
    },
    async remove(name) {
      try {
        await unlink(join(dir, name));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw err;
      }
      counters.removes++;
      return true;
    },
    counters: () => structuredClone(counters),
  };
}
