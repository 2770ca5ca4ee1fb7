/**
 * The one-time setup code: on a first start with no admin password, telemute prints a random code
 * to its log (`logread -e telemute`) and the owner trades it for a password at /setup. Reading the
 * log needs a shell on the router, so holding the code proves the same thing `telemute passwd`
 * does. The code lives in memory only: a restart prints a new one, and none reaches flash.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AdminFile } from './admin-file.js';

/**
 * Crockford's base32 without I, L, O, U: nothing to misread when copying from a terminal. Ten
 * characters carry 50 bits; at 5 guesses a minute (the login limiter) that outlives the router.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 10;

/** A live setup code. */
export interface SetupCode {
  /** The code as printed: two groups of five, `ABCDE-12345`. */
  readonly display: string;
  /** True if `input` is the code (case, spaces and dashes ignored) and it was not consumed. */
  matches(input: string): boolean;
  /** Ends the code after a successful setup: it is good for one password only. */
  consume(): void;
}

/** Makes a fresh code. `random` is injectable so tests get a known code. */
export function createSetupCode(random: (n: number) => Uint8Array = randomBytes): SetupCode {
  // 256 is a multiple of 32, so `byte % 32` is uniform.
  const chars = [...random(LENGTH)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  const expected = Buffer.from(chars);
  let isConsumed = false;
  return {
    display: `${chars.slice(0, 5)}-${chars.slice(5)}`,
    matches(input) {
      const given = Buffer.from(normaliseCode(input));
      // Constant time for equal lengths; a wrong length says nothing about the code's characters.
      return !isConsumed && given.length === expected.length && timingSafeEqual(given, expected);
    },
    consume() {
      isConsumed = true;
    },
  };
}

/** Upper case, without spaces and dashes, with the look-alikes O→0 and I/L→1 folded as Crockford says. */
export function normaliseCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/**
 * A setup code if no password is stored, else undefined. A corrupt admin.json gives none: the
 * owner must fix the file first (its error names the fix), and a code must not paper over it.
 */
export async function firstStartCode(file: AdminFile): Promise<SetupCode | undefined> {
  try {
    return (await file.read()).password ? undefined : createSetupCode();
  } catch {
    return undefined;
  }
}
