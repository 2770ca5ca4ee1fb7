import { describe, expect, it } from 'vitest';
import { UsageError, parseArgs } from '../../src/config/cli.js';

describe('parseArgs', () => {
  describe('when the arguments are valid', () => {
    it('gives defaults for no arguments', () => {
      expect(parseArgs([])).toEqual({ command: 'serve', config: null, dns: [], upstream: [], admin: null, state: null, volatile: null, blocklist: [], logLevel: null });
    });

    it('collects repeatable flags in order', () => {
      const a = parseArgs(['--dns', '127.0.0.1:5335', '--upstream', '192.0.2.1', '--dns', '[::1]:5335', '--upstream', 'tcp://192.0.2.2', '--blocklist', 'a.txt', '--blocklist', 'b.txt']);
      expect(a.dns).toEqual(['127.0.0.1:5335', '[::1]:5335']);
      expect(a.upstream).toEqual(['192.0.2.1', 'tcp://192.0.2.2']);
      expect(a.blocklist).toEqual(['a.txt', 'b.txt']);
    });

    it('reads --flag=value, keeping any further =', () => {
      const a = parseArgs(['--config=/etc/config/telemute', '--admin=off', '--dns=127.0.0.1:53', '--state=/a=b']);
      expect(a).toMatchObject({ config: '/etc/config/telemute', admin: 'off', dns: ['127.0.0.1:53'], state: '/a=b' });
    });

    it('reads single flags, the last one winning', () => {
      const a = parseArgs(['--log-level', 'info', '--volatile', '/tmp/t', '--log-level', 'debug']);
      expect(a).toMatchObject({ logLevel: 'debug', volatile: '/tmp/t' });
    });

    it('takes an empty value from --flag=', () => {
      expect(parseArgs(['--admin=']).admin).toBe('');
    });

    it.each([
      [['--help'], 'help'],
      [['-h'], 'help'],
      [['--version'], 'version'],
      [['-V'], 'version'],
      [['--dns', '127.0.0.1', '--help'], 'help'],
    ])('reads %j as %s', (argv, command) => {
      expect(parseArgs(argv).command).toBe(command);
    });
  });

  describe('when the first word is passwd', () => {
    it('runs the passwd command with its flags', () => {
      expect(parseArgs(['passwd', '--config', '/etc/config/telemute', '--state', '/etc/telemute'])).toMatchObject({ command: 'passwd', config: '/etc/config/telemute', state: '/etc/telemute' });
    });

    it('is a plain argument anywhere else', () => {
      expect(() => parseArgs(['--state', '/x', 'passwd'])).toThrow(/unknown argument 'passwd'/);
    });
  });

  describe('when the arguments are wrong', () => {
    it.each([
      [['--dns'], /--dns needs a value/],
      [['--dns', '--upstream', '192.0.2.1'], /--dns needs a value/],
      [['--config'], /--config needs a value/],
      [['--upstream', '192.0.2.1', '--admin'], /--admin needs a value/],
      [['--bogus'], /unknown argument '--bogus'/],
      [['--bogus=1'], /unknown argument '--bogus=1'/],
      [['serve'], /unknown argument 'serve'/],
      [['-d'], /unknown argument '-d'/],
    ])('throws UsageError for %j', (argv, message) => {
      expect(() => parseArgs(argv)).toThrow(UsageError);
      expect(() => parseArgs(argv)).toThrow(message);
    });
  });
});
