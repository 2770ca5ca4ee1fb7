/**
 * Atomic file replacement for everything telemute keeps in its state directory. A power cut on a
 * router is routine, so a reader must only ever see the old file or the new one, never a torn mix:
 * write a temporary file beside the target, fsync it, rename it over the target (rename(2) is
 * atomic within one filesystem), then fsync the directory so the rename itself is durable.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, unlinkSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Mode for every state file: admin hashes and tokens are for root's eyes only. */
const FILE_MODE = 0o600;

/**
 * Replaces `path` with `data` atomically, mode 0600. Rejects (leaving the old file untouched and
 * no temporary file behind) if any step fails.
 *
 * @example await writeFileAtomic('/etc/telemute/state/admin.json', JSON.stringify(state));
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  // Same directory as the target: rename across filesystems (e.g. /tmp is tmpfs) is not atomic.
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeAndSync(temp, data);
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => {}); // may never have been created
    throw err;
  }
  await syncDir(dir);
}

/** Writes a new file (never following an existing one: 'wx') and flushes it to the medium. */
async function writeAndSync(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'wx', FILE_MODE);
  try {
    // open's mode is masked by umask, which can only remove bits; chmod makes 0600 explicit anyway.
    await handle.chmod(FILE_MODE);
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes the directory entry so the rename survives a power cut (ext4, ubifs, jffs2 all need it). */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (err) {
    // Some filesystems (certain FUSE and network mounts) refuse fsync on a directory; the data
    // file itself is already synced, so this is the best that medium allows.
    if (!isUnsupported(err)) throw err;
  } finally {
    await handle.close();
  }
}

function isUnsupported(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EINVAL' || code === 'ENOTSUP' || code === 'EISDIR' || code === 'EPERM';
}

/** `.<target>.<pid>.<12 hex>.tmp`, the name writeFileAtomic gives its temporary file. */
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/**
 * Deletes the temporary files of writes that never finished (a `kill -9` or power cut between
 * open and rename) in `dir` and its direct subdirectories (`lists/`, `stats/`). Each can be as
 * large as the file it was replacing (up to 1 MB for the statistics) and nothing else would ever
 * remove it. A temp file whose pid is still alive is kept: `telemute passwd` may be writing
 * beside the running server. Never throws; returns the number of files deleted.
 */
export function removeStaleTemps(dir: string, depth = 1): number {
  let removed = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0; // no state directory yet
  }
  for (const e of entries) {
    if (e.isDirectory() && depth > 0) removed += removeStaleTemps(join(dir, e.name), depth - 1);
    const m = e.isFile() ? TEMP_NAME.exec(e.name) : null;
    if (m === null || isAlive(Number(m[1]))) continue;
    try {
      unlinkSync(join(dir, e.name));
      removed++;
    } catch {
      // already gone, or read-only state: harmless, tried again at the next start
    }
  }
  return removed;
}

function isAlive(pid: number): boolean {
  // procd starts telemute at about the same point of every boot, so a temp from the last boot
  // often carries our own pid: it is stale (a FlashWriter is made before any write starts).
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}
