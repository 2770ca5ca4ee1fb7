/**
 * The ASN table for a set of CSV files: compiled once, then kept under --volatile as
 * `geo/asn-table.bin` so a restart (procd respawn, config reload) loads it in ~30 ms instead of
 * compiling for a second (x86) or far longer (router). It is reused while the CSVs keep their
 * size and mtime: hashing 33 MB of CSV on every start would cost several times the load it guards.
 * /tmp is RAM there, so the file is deflated (4.4 MB for the 10.4 MB table).
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.js';
import { compileAsnCsv } from './asn-csv.js';
import { decodeAsnTable, encodeAsnTable, tableFingerprint, type AsnTable } from './asn-table.js';

/** A loaded table and how it was obtained. */
export interface LoadedAsnTable {
  table: AsnTable;
  /** What the table was built from: format version, then path, size and mtime of each CSV. */
  fingerprint: string;
  /** 'compiled' from the CSVs, or 'reused' from the volatile file. */
  origin: 'compiled' | 'reused';
  ms: number;
  /** Bytes of the table file under --volatile (0 when there is no volatile dir). */
  fileBytes: number;
}

const FORMAT = 1;

/** The fingerprint of the CSV files as they are now (stat only). Rejects if one is missing. */
export async function csvFingerprint(paths: string[]): Promise<string> {
  const parts = await Promise.all(
    paths.map(async (p) => {
      const s = await stat(p);
      return [resolve(p), s.size, Math.round(s.mtimeMs)];
    }),
  );
  return JSON.stringify([FORMAT, ...parts]);
}

/** Where the table file lives in the volatile directory. */
export function tablePath(volatileDir: string): string {
  return join(volatileDir, 'geo', 'asn-table.bin');
}

async function reuse(file: string, fingerprint: string): Promise<AsnTable | null> {
  const bytes = await readFile(file).catch(() => null);
  if (!bytes || tableFingerprint(bytes) !== fingerprint) return null;
  try {
    return decodeAsnTable(bytes);
  } catch {
    return null; // a damaged file is a miss: compile again
  }
}

/**
 * The table for `paths`: the volatile file when its fingerprint matches, else compiled and (when
 * `volatileDir` is set) written there atomically. Rejects when the CSVs are unusable; a failure to
 * write the volatile file only costs the next start a compile.
 */
export async function loadAsnCsv(paths: string[], volatileDir: string | null): Promise<LoadedAsnTable> {
  const t0 = performance.now();
  const fingerprint = await csvFingerprint(paths);
  const file = volatileDir ? tablePath(volatileDir) : null;
  const old = file ? await reuse(file, fingerprint) : null;
  if (old) return { table: old, fingerprint, origin: 'reused', ms: performance.now() - t0, fileBytes: (await stat(file!)).size };
  const { table } = await compileAsnCsv(paths);
  let fileBytes = 0;
  if (file) {
    const bytes = encodeAsnTable(table, fingerprint);
    try {
      await mkdir(join(volatileDir!, 'geo'), { recursive: true });
      await writeFileAtomic(file, bytes);
      fileBytes = bytes.length;
    } catch {
      fileBytes = 0;
    }
  }
  return { table, fingerprint, origin: 'compiled', ms: performance.now() - t0, fileBytes };
}
