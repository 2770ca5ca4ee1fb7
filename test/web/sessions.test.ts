import { describe, expect, it } from 'vitest';
import { createSessions } from '../../src/web/sessions.js';

describe('createSessions', () => {
  const clock = () => {
    const c = { t: 1_000_000 };
    return { c, sessions: createSessions({ now: () => c.t, idleMs: 100, absoluteMs: 1000, maxSessions: 3 }) };
  };

  it('accepts a fresh token and refuses a made-up one', () => {
    const { sessions } = clock();
    const { token, expiresAt } = sessions.create('tag');
    expect(sessions.check(token, 'tag')).toBe(true);
    expect(sessions.check('nope', 'tag')).toBe(false);
    expect(expiresAt).toBe(1_001_000);
  });

  describe('when time passes', () => {
    it('keeps a session used within the idle time, up to the absolute limit', () => {
      const { c, sessions } = clock();
      const { token } = sessions.create('tag');
      for (let i = 0; i < 9; i++) {
        c.t += 99;
        expect(sessions.check(token, 'tag')).toBe(true);
      }
      c.t += 109; // 1000 ms after creation
      expect(sessions.check(token, 'tag')).toBe(false);
    });

    it('ends a session idle for idleMs', () => {
      const { c, sessions } = clock();
      const { token } = sessions.create('tag');
      c.t += 100;
      expect(sessions.check(token, 'tag')).toBe(false);
      expect(sessions.size()).toBe(0);
    });
  });

  it('ends a session whose password tag no longer matches', () => {
    const { sessions } = clock();
    const { token } = sessions.create('old');
    expect(sessions.check(token, 'new')).toBe(false);
    expect(sessions.check(token, 'old')).toBe(false); // gone for good
  });

  it('drops the oldest session beyond maxSessions', () => {
    const { sessions } = clock();
    const tokens = [1, 2, 3, 4].map(() => sessions.create('tag').token);
    expect(sessions.size()).toBe(3);
    expect(sessions.check(tokens[0], 'tag')).toBe(false);
    expect(sessions.check(tokens[3], 'tag')).toBe(true);
  });

  it('revokes a session', () => {
    const { sessions } = clock();
    const { token } = sessions.create('tag');
    sessions.revoke(token);
    expect(sessions.check(token, 'tag')).toBe(false);
  });
});
