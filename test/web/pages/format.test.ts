import { describe, expect, it } from 'vitest';
import { ago, count, deviceHref, safeHref, safeNext } from '../../../src/web/pages/format.js';

const NOW = Date.UTC(2025, 0, 1);

describe('format', () => {
  it.each([
    [0, 'just now'],
    [-5000, 'just now'], // clock skew: a time slightly ahead
    [59_000, 'just now'],
    [60_000, '1 min ago'],
    [3_599_000, '59 min ago'],
    [3_600_000, '1 h ago'],
    [86_400_000, '1 day ago'],
    [3 * 86_400_000, '3 days ago'],
  ])('ago(%i ms) is %s', (delta, text) => {
    expect(ago(NOW, NOW - delta)).toBe(text);
  });

  it.each([
    [1234, '1,234'],
    [2_500_000, '2.5M'],
    [Number.NaN, '–'],
  ])('count(%d) is %s', (n, text) => {
    expect(count(n)).toBe(text);
  });

  it.each([
    ['/devices', false, '/devices'],
    ['//evil.example.net', false, undefined],
    ['/\\evil.example.net', false, undefined],
    ['javascript:alert(1)', true, undefined],
    ['https://example.org/x', false, undefined],
    ['https://example.org/x', true, 'https://example.org/x'],
    ['', true, undefined],
  ])('safeHref(%j, external %s) is %j', (href, external, out) => {
    expect(safeHref(href, external)).toBe(out);
  });

  it.each([
    ['/devices', '/devices'],
    [undefined, '/'],
    ['https://evil.example.net/', '/'],
    ['//evil.example.net/', '/'],
    ['/\\evil.example.net/', '/'],
  ])('safeNext(%j) is %s', (next, out) => {
    expect(safeNext(next)).toBe(out);
  });

  it('percent-encodes device ids in URLs', () => {
    expect(deviceHref('ip:fd00::1')).toBe('/devices/ip%3Afd00%3A%3A1');
    expect(deviceHref('../api')).toBe('/devices/..%2Fapi');
  });
});
