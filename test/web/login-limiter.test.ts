import { describe, expect, it } from 'vitest';
import { createLoginLimiter } from '../../src/web/login-limiter.js';

describe('createLoginLimiter', () => {
  const make = (maxClients = 1024) => {
    const c = { t: 0 };
    return { c, limiter: createLoginLimiter({ now: () => c.t, maxFailures: 3, windowMs: 10_000, maxClients }) };
  };

  it('allows maxFailures failures, then asks to wait until the oldest leaves the window', () => {
    const { c, limiter } = make();
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterS('192.0.2.1')).toBe(0);
      limiter.fail('192.0.2.1');
      c.t += 1000;
    }
    expect(limiter.retryAfterS('192.0.2.1')).toBe(7);
    expect(limiter.retryAfterS('192.0.2.2')).toBe(0);
    c.t = 10_000;
    expect(limiter.retryAfterS('192.0.2.1')).toBe(0);
  });

  it('forgets failures after a success', () => {
    const { limiter } = make();
    for (let i = 0; i < 3; i++) limiter.fail('192.0.2.1');
    limiter.succeed('192.0.2.1');
    expect(limiter.retryAfterS('192.0.2.1')).toBe(0);
  });

  it('never reports less than 1 second while blocked', () => {
    const { c, limiter } = make();
    for (let i = 0; i < 3; i++) limiter.fail('192.0.2.1');
    c.t = 9_999;
    expect(limiter.retryAfterS('192.0.2.1')).toBe(1);
  });

  it('tracks at most maxClients addresses, dropping the oldest', () => {
    const { limiter } = make(2);
    for (const a of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) for (let i = 0; i < 3; i++) limiter.fail(a);
    expect(limiter.retryAfterS('192.0.2.1')).toBe(0);
    expect(limiter.retryAfterS('192.0.2.3')).toBeGreaterThan(0);
  });
});
