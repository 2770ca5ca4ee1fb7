/**
 * Browser sessions, in memory only: a restart signs everyone out, which is acceptable for a router
 * and keeps session churn off the flash. The cookie carries a random 32-byte token; the map is keyed
 * by its SHA-256 so a heap dump does not hold usable cookies.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'tm_session';
/** A session unused for this long ends. */
export const IDLE_MS = 12 * 60 * 60 * 1000;
/** A session ends this long after login, however busy. */
export const ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;

/** Options for createSessions. */
export interface SessionOptions {
  now: () => number;
  /** Idle expiry, ms; default 12 h. */
  idleMs?: number;
  /** Absolute expiry, ms; default 7 days. */
  absoluteMs?: number;
  /** Most live sessions; the oldest is dropped beyond it. Default 64. */
  maxSessions?: number;
}

/** The session table. `passwordTag` ties a session to the password it was opened with. */
export interface Sessions {
  /** Opens a session; returns the cookie value and the absolute expiry (epoch ms). */
  create(passwordTag: string): { token: string; expiresAt: number };
  /** True if the token names a live session opened under the current password; refreshes its idle timer. */
  check(token: string, passwordTag: string | undefined): boolean;
  /** Ends a session (no-op if unknown). */
  revoke(token: string): void;
  /** Live sessions, for health and tests. */
  size(): number;
}

interface Session {
  createdAt: number;
  lastSeen: number;
  passwordTag: string;
}

/** Creates an empty session table. */
export function createSessions(options: SessionOptions): Sessions {
  const { now, idleMs = IDLE_MS, absoluteMs = ABSOLUTE_MS, maxSessions = 64 } = options;
  const byHash = new Map<string, Session>();
  const isLive = (s: Session, t: number) => t - s.lastSeen < idleMs && t - s.createdAt < absoluteMs;

  function prune(t: number): void {
    for (const [key, s] of byHash) if (!isLive(s, t)) byHash.delete(key);
    // Map keeps insertion order, so the first keys are the oldest logins.
    for (const key of byHash.keys()) {
      if (byHash.size < maxSessions) break;
      byHash.delete(key);
    }
  }

  return {
    create(passwordTag) {
      const t = now();
      prune(t);
      const token = randomBytes(32).toString('base64url');
      byHash.set(digest(token), { createdAt: t, lastSeen: t, passwordTag });
      return { token, expiresAt: t + absoluteMs };
    },
    check(token, passwordTag) {
      const key = digest(token);
      const s = byHash.get(key);
      if (!s) return false;
      const t = now();
      // A changed password (telemute passwd) ends every session opened under the old one.
      if (!isLive(s, t) || s.passwordTag !== passwordTag) {
        byHash.delete(key);
        return false;
      }
      s.lastSeen = t;
      return true;
    },
    revoke(token) {
      byHash.delete(digest(token));
    },
    size() {
      return byHash.size;
    },
  };
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64');
}
