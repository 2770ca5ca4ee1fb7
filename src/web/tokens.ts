/**
 * API tokens for scripts (Home Assistant, cron jobs): `tm_` + 32 random bytes in base64url. Only the
 * SHA-256 is stored; a fast hash is enough here because the token has 256 bits of entropy, unlike a
 * password, so there is nothing for a slow hash to protect against. No Hono here.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AdminFile } from './admin-file.js';

/** A token as listed: everything but the secret. */
export interface TokenInfo {
  id: string;
  name: string;
  /** ISO 8601 */
  createdAt: string;
}

/** Most tokens kept; each bearer request scans them all. */
export const MAX_TOKENS = 64;

const TOKEN_SHAPE = /^tm_[A-Za-z0-9_-]{43}$/;

/** Creates and stores a token; returns it with its secret (shown once), or undefined at MAX_TOKENS. */
export async function createToken(
  file: AdminFile,
  name: string,
  now: number,
): Promise<(TokenInfo & { token: string }) | undefined> {
  const token = `tm_${randomBytes(32).toString('base64url')}`;
  const info: TokenInfo = { id: randomBytes(8).toString('hex'), name, createdAt: new Date(now).toISOString() };
  let isFull = false;
  await file.update((state) => {
    isFull = state.tokens.length >= MAX_TOKENS;
    if (!isFull) state.tokens.push({ ...info, sha256: sha256(token) });
    return state;
  });
  return isFull ? undefined : { ...info, token };
}

/** Lists tokens without their hashes, oldest first. */
export async function listTokens(file: AdminFile): Promise<TokenInfo[]> {
  const { tokens } = await file.read();
  return tokens.map(({ id, name, createdAt }) => ({ id, name, createdAt }));
}

/** Deletes a token by id; false if there was none. */
export async function deleteToken(file: AdminFile, id: string): Promise<boolean> {
  if (!(await file.read()).tokens.some((t) => t.id === id)) return false;
  let isFound = false;
  await file.update((state) => {
    const kept = state.tokens.filter((t) => t.id !== id);
    isFound = kept.length !== state.tokens.length;
    return { ...state, tokens: kept };
  });
  return isFound;
}

/** The stored token matching a presented bearer string, or undefined. */
export async function findToken(file: AdminFile, presented: string): Promise<TokenInfo | undefined> {
  if (!TOKEN_SHAPE.test(presented)) return undefined;
  const hash = Buffer.from(sha256(presented), 'hex');
  const { tokens } = await file.read();
  const match = tokens.find((t) => timingSafeEqual(Buffer.from(t.sha256, 'hex'), hash));
  return match && { id: match.id, name: match.name, createdAt: match.createdAt };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
