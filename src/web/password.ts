/**
 * Password hashing with scrypt (RFC 7914). N=16384, r=8, p=1 costs 16 MiB and roughly 50 ms on a
 * desktop core, a few hundred ms on a router's MIPS or ARM core: slow for a guesser, bearable for
 * one login. The parameters are stored with each hash so they can be raised without a migration.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { StoredPassword } from './admin-file.js';

/** Parameters for new hashes. */
export const SCRYPT_PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

/** Shortest accepted admin password, in characters. */
export const MIN_PASSWORD_LENGTH = 8;
/** Longest accepted admin password, in characters: bounds the work a request body can ask for. */
export const MAX_PASSWORD_LENGTH = 1024;

/** Hashes a password with a fresh random salt. */
export async function hashPassword(password: string): Promise<StoredPassword> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(password, salt, SCRYPT_PARAMS, KEY_LENGTH);
  return { algo: 'scrypt', ...SCRYPT_PARAMS, salt: salt.toString('base64'), hash: hash.toString('base64') };
}

/** True if `password` matches the stored hash. Compares in constant time. */
export async function verifyPassword(password: string, stored: StoredPassword): Promise<boolean> {
  if (!isSaneParams(stored)) return false; // a hand-edited file must not make us allocate gigabytes
  const expected = Buffer.from(stored.hash, 'base64');
  if (expected.length < 16) return false;
  const actual = await derive(password, Buffer.from(stored.salt, 'base64'), stored, expected.length);
  return timingSafeEqual(actual, expected);
}

/** Within what a router can afford: N a power of two up to 2^20, r up to 32, p up to 16. */
function isSaneParams({ N, r, p }: StoredPassword): boolean {
  return N >= 2 && N <= 2 ** 20 && (N & (N - 1)) === 0 && r >= 1 && r <= 32 && p >= 1 && p <= 16;
}

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }, length: number): Promise<Buffer> {
  // NFC so the same password typed on a phone and on a laptop hashes the same (RFC 8265 §4.2.2).
  const secret = password.normalize('NFC');
  // scrypt needs 128·N·r bytes; Node's default cap (32 MiB) would refuse r=8, N=32768.
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, length, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
