/**
 * Login throttling per client address: after `maxFailures` wrong passwords within `windowMs`, the
 * address waits until the oldest of them leaves the window. In memory and bounded, so a LAN full of
 * spoofed addresses costs a fixed amount of RAM.
 */

/** Options for createLoginLimiter. */
export interface LoginLimiterOptions {
  now: () => number;
  /** Failures allowed per window; default 5. */
  maxFailures?: number;
  /** Window length, ms; default 60 000. */
  windowMs?: number;
  /** Addresses tracked at once; the oldest entry is dropped beyond it. Default 1024. */
  maxClients?: number;
}

/** Failure bookkeeping for the login route. */
export interface LoginLimiter {
  /** Seconds the address must wait before trying again; 0 if it may try now. */
  retryAfterS(address: string): number;
  /** Records a wrong password. */
  fail(address: string): void;
  /** Forgets the address's failures after a correct password. */
  succeed(address: string): void;
}

/** Creates a limiter. */
export function createLoginLimiter(options: LoginLimiterOptions): LoginLimiter {
  const { now, maxFailures = 5, windowMs = 60_000, maxClients = 1024 } = options;
  // address → failure times, oldest first, never more than maxFailures long
  const failures = new Map<string, number[]>();

  function recent(address: string, t: number): number[] {
    const times = (failures.get(address) ?? []).filter((at) => t - at < windowMs);
    if (times.length === 0) failures.delete(address);
    return times;
  }

  return {
    retryAfterS(address) {
      const t = now();
      const times = recent(address, t);
      if (times.length < maxFailures) return 0;
      return Math.max(1, Math.ceil((times[0] + windowMs - t) / 1000));
    },
    fail(address) {
      const t = now();
      const times = recent(address, t);
      times.push(t);
      failures.delete(address); // re-insert so Map order stays least-recently-failed first
      failures.set(address, times.slice(-maxFailures));
      if (failures.size > maxClients) failures.delete(failures.keys().next().value as string);
    },
    succeed(address) {
      failures.delete(address);
    },
  };
}
