/**
 * Atomic file replacement for everything telemute keeps in its state directory. A power cut on a
 * router is routine, so a reader must only ever see the old file or the new one, never a torn mix:
 * write a temporary file beside the target, fsync it, rename it over the target (rename(2) is
 * atomic within one filesystem), then fsync the directory so the rename itself is durable.
 */
import { randomBytes } from 'node:crypto';
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
