import { describe, expect, it } from 'vitest';
import { Lru } from '../../src/geo/lru.js';

describe('Lru', () => {
  it('evicts the least recently used key, not the oldest inserted', () => {
    const c = new Lru<number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the young end
    c.set('c', 3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
    expect(c.size).toBe(2);
  });

  it('keeps nothing with max 0 and empties on clear', () => {
    const none = new Lru<number>(0);
    none.set('a', 1);
    expect(none.size).toBe(0);
    const c = new Lru<number>(3);
    c.set('a', 1);
    c.clear();
    expect(c.get('a')).toBeUndefined();
  });
});
