/**
 * `<stateDir>/admin.json`: the admin password hash and the API tokens (hashed). Read on demand and
 * cached by inode and mtime, so `telemute passwd` run beside a live daemon takes effect on the next
 * request without a restart (every write is a rename, so it always brings a new inode).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.js';

/** An scrypt hash with the parameters it was made with, so they can be raised later. */
export interface StoredPassword {
  algo: 'scrypt';
  N: number;
  r: number;
  p: number;
  /** base64 */
  salt: string;
  /** base64 derived key */
  hash: string;
}

/** An API token as stored: never the token itself, only its SHA-256. */
export interface StoredToken {
  id: string;
  name: string;
  /** ISO 8601 */
  createdAt: string;
  /** hex SHA-256 of the full token string */
  sha256: string;
}

/** The whole file. */
export interface AdminState {
  password?: StoredPassword;
  tokens: StoredToken[];
}

/** Access to admin.json; writes are serialised within the process. */
export interface AdminFile {
  path: string;
  /** The current state; an absent file is an empty state. Throws if the file is unreadable or corrupt. */
  read(): Promise<AdminState>;
  /** Applies `change` to a fresh read and writes the result atomically. */
  update(change: (state: AdminState) => AdminState): Promise<AdminState>;
}

/** Opens (lazily) the admin file in a state directory. */
export function adminFile(stateDir: string): AdminFile {
  const path = join(stateDir, 'admin.json');
  let cached: { key: string; state: AdminState } | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  async function read(): Promise<AdminState> {
    const key = await fileKey(path);
    if (cached?.key === key) return cached.state;
    const state = key === 'absent' ? { tokens: [] } : parseState(await readFile(path, 'utf8'), path);
    cached = { key, state };
    return state;
  }

  function update(change: (state: AdminState) => AdminState): Promise<AdminState> {
    const run = queue.then(async () => {
      const next = change(structuredClone(await read()));
      await writeFileAtomic(path, JSON.stringify({ version: 1, ...next }, null, 2) + '\n');
      cached = undefined; // the next read picks up the new inode
      return next;
    });
    queue = run.catch(() => {}); // one failed write must not wedge the ones after it
    return run;
  }

  return { path, read, update };
}

async function fileKey(path: string): Promise<string> {
  try {
    const s = await stat(path);
    return `${s.ino}:${s.mtimeMs}:${s.size}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw err;
  }
}

/** Parses the file. Malformed token entries are skipped (the good ones still load); a bad root throws. */
function parseState(text: string, path: string): AdminState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${path}: not valid JSON; fix it, or move it away and run \`telemute passwd\``);
  }
  if (typeof raw !== 'object' || raw === null) throw new Error(`${path}: must hold a JSON object`);
  const record = raw as Record<string, unknown>;
  const tokens = Array.isArray(record.tokens) ? record.tokens.filter(isStoredToken) : [];
  return isStoredPassword(record.password) ? { password: record.password, tokens } : { tokens };
}

function isStoredPassword(v: unknown): v is StoredPassword {
  const p = v as StoredPassword | undefined;
  return (
    typeof p === 'object' && p !== null && p.algo === 'scrypt' && [p.N, p.r, p.p].every(Number.isInteger) &&
    typeof p.salt === 'string' && typeof p.hash === 'string'
  );
}

function isStoredToken(v: unknown): v is StoredToken {
  const t = v as StoredToken | undefined;
  return (
    typeof t === 'object' && t !== null && typeof t.id === 'string' && typeof t.name === 'string' &&
    typeof t.createdAt === 'string' && typeof t.sha256 === 'string' && /^[0-9a-f]{64}$/.test(t.sha256)
  );
}
