import { describe, expect, it } from 'vitest';
import { parseUpstream } from '../../src/upstream/server.js';

describe('parseUpstream', () => {
  describe('when the address is valid', () => {
    it.each([
      ['udp://192.0.2.1:53', 'udp', '192.0.2.1', 53, 'udp://192.0.2.1:53'],
      ['tcp://192.0.2.1', 'tcp', '192.0.2.1', 53, 'tcp://192.0.2.1:53'],
      ['192.0.2.1', 'udp', '192.0.2.1', 53, 'udp://192.0.2.1:53'],
      ['192.0.2.1:5301', 'udp', '192.0.2.1', 5301, 'udp://192.0.2.1:5301'],
      ['[2001:db8::1]:53', 'udp', '2001:db8::1', 53, 'udp://[2001:db8::1]:53'],
      ['[2001:db8::1]', 'udp', '2001:db8::1', 53, 'udp://[2001:db8::1]:53'],
      ['2001:db8::1', 'udp', '2001:db8::1', 53, 'udp://[2001:db8::1]:53'],
      ['tcp://[2001:db8::1]:5353', 'tcp', '2001:db8::1', 5353, 'tcp://[2001:db8::1]:5353'],
      ['192.0.2.1#5353', 'udp', '192.0.2.1', 5353, 'udp://192.0.2.1:5353'],
      ['2001:db8::1#5353', 'udp', '2001:db8::1', 5353, 'udp://[2001:db8::1]:5353'],
      ['dns://192.0.2.1', 'udp', '192.0.2.1', 53, 'udp://192.0.2.1:53'],
      ['UDP://192.0.2.1/', 'udp', '192.0.2.1', 53, 'udp://192.0.2.1:53'],
      ['  192.0.2.1  ', 'udp', '192.0.2.1', 53, 'udp://192.0.2.1:53'],
      ['192.0.2.1:65535', 'udp', '192.0.2.1', 65535, 'udp://192.0.2.1:65535'],
    ])('reads %j', (text, protocol, host, port, url) => {
      expect(parseUpstream(text)).toMatchObject({ protocol, host, port, url });
    });

    it('starts with clean health', () => {
      expect(parseUpstream('192.0.2.1')).toMatchObject({ srtt: 50, failures: 0, downUntil: 0, sent: 0, errors: 0 });
    });
  });

  describe('when the address is not usable', () => {
    it.each([
      ['tls://192.0.2.1', /tls:\/\/ upstreams are not supported yet/],
      ['https://192.0.2.1/dns-query', /https:\/\/ upstreams are not supported yet/],
      ['quic://192.0.2.1', /not supported yet/],
      ['ftp://x', /unknown upstream scheme 'ftp:\/\/'/],
      ['example.org', /must be an IP address/],
      ['udp://example.org:53', /must be an IP address/],
      ['192.0.2.1:0', /port must be 1-65535/],
      ['192.0.2.1:70000', /port must be 1-65535/],
      ['[2001:db8::1]:0', /port must be 1-65535/],
      ['192.0.2.1:', /not an address/],
      ['', /not an address|IP address/],
      ['192.0.2.300', /must be an IP address/],
    ])('refuses %j with a clear message', (text, message) => {
      expect(() => parseUpstream(text)).toThrow(message);
    });
  });
});
