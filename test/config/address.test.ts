import { describe, expect, it } from 'vitest';
import { formatHostPort, parseHostPort } from '../../src/config/address.js';

describe('parseHostPort', () => {
  describe('when the address is valid', () => {
    it.each([
      ['127.0.0.1:5335', '127.0.0.1', 5335],
      ['0.0.0.0', '0.0.0.0', 53],
      ['[::1]:5335', '::1', 5335],
      ['[::]', '::', 53],
      ['::1', '::1', 53],
      ['localhost:53', '127.0.0.1', 53],
      [' 192.0.2.1:0 ', '192.0.2.1', 0],
    ])('reads %j', (text, host, port) => {
      expect(parseHostPort(text, 53)).toEqual({ host, port });
    });
  });

  describe('when the address is not valid', () => {
    it.each([
      ['example.org:53', /'example\.org' is not an IP address/],
      ['192.0.2.1:65536', /port must be 0-65535/],
      ['192.0.2.1:x', /not an IP address|not ADDRESS:PORT/],
      ['[::1', /not ADDRESS:PORT/],
      ['', /not an IP address/],
    ])('throws for %j', (text, message) => {
      expect(() => parseHostPort(text, 53)).toThrow(message);
    });
  });
});

describe('formatHostPort', () => {
  it('brackets IPv6 only', () => {
    expect(formatHostPort({ host: '::1', port: 53 })).toBe('[::1]:53');
    expect(formatHostPort({ host: '192.0.2.1', port: 53 })).toBe('192.0.2.1:53');
  });
});
