import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/config/cli.js';
import { loadSettings, type LoadResult, type Settings } from '../../src/config/settings.js';

const FILE = '/etc/config/telemute';

/** loadSettings over an in-memory config file. */
function load(text: string | null, argv: string[] = []): LoadResult {
  const args = parseArgs(text === null ? argv : ['--config', FILE, ...argv]);
  return loadSettings(args, (path) => {
    if (path !== FILE) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    return text!;
  });
}
function ok(text: string | null, argv: string[] = []): Settings {
  const r = load(text, argv);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.settings;
}
function errors(text: string | null, argv: string[] = []): string[] {
  const r = load(text, argv);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}

describe('loadSettings', () => {
  describe('when there is no config file', () => {
    it('gives the defaults', () => {
      const s = ok(null);
      expect(s).toMatchObject({
        listen: [{ host: '127.0.0.1', port: 5335 }],
        upstreams: [],
        admin: { host: '127.0.0.1', port: 8080 },
        stateDir: './var/state',
        volatileDir: './var/run',
        blocklists: [],
        allow: null,
        lanDomain: 'lan',
        localServer: null,
        logLevel: 'info',
        forwards: [],
        records: [],
        configFile: null,
      });
      expect(s.cache).toEqual({ size: 10000, maxBytes: 8 * 1024 * 1024, minTtl: 0, maxTtl: 86400, negativeMaxTtl: 3600, servfailTtl: 5, serveStale: true, staleTtl: 86400 });
      expect(['/tmp/resolv.conf.d/resolv.conf.auto', '/etc/resolv.conf']).toContain(s.resolvFile);
    });

    it('turns the admin off with --admin off', () => {
      expect(ok(null, ['--admin', 'off']).admin).toBeNull();
    });
  });

  describe('when the file sets options', () => {
    const file = `
config telemute 'main'
	list listen '127.0.0.1:53'
	list listen '[::1]:53'
	list upstream '192.0.2.1'
	list upstream 'tcp://[2001:db8::1]:53'
	option admin '192.168.1.1:8080'
	option state_dir '/etc/telemute'
	option volatile_dir '/tmp/telemute'
	list blocklist '/etc/telemute/ads.txt'
	list allow '192.168.1.0/24'
	option lan_domain 'home.example.org'
	option local_server '127.0.0.1:5353'
	option log_level 'debug'
	option enabled '1'

config cache 'cache'
	option size '500'
	option min_ttl '10'
	option serve_stale 'no'

config forward
	option domain 'corp.example.net'
	list server '192.0.2.10'

config record
	option name 'nas.example.org'
	option type 'AAAA'
	option value '2001:db8::10'
	option ttl '60'
`;

    it('reads every section', () => {
      const s = ok(file);
      expect(s.listen).toEqual([{ host: '127.0.0.1', port: 53 }, { host: '::1', port: 53 }]);
      expect(s.upstreams).toEqual(['192.0.2.1', 'tcp://[2001:db8::1]:53']);
      expect(s.admin).toEqual({ host: '192.168.1.1', port: 8080 });
      expect(s).toMatchObject({ stateDir: '/etc/telemute', volatileDir: '/tmp/telemute', blocklists: ['/etc/telemute/ads.txt'], allow: ['192.168.1.0/24'], lanDomain: 'home.example.org', localServer: '127.0.0.1:5353', logLevel: 'debug', configFile: FILE });
      expect(s.cache).toMatchObject({ size: 500, minTtl: 10, serveStale: false, maxTtl: 86400 });
      expect(s.forwards).toEqual([{ domain: 'corp.example.net', servers: ['192.0.2.10'] }]);
      expect(s.records).toEqual([{ name: 'nas.example.org', type: 'AAAA', value: '2001:db8::10', ttl: 60 }]);
    });

    it('lets flags override the file, replacing lists', () => {
      const s = ok(file, ['--dns', '127.0.0.1:5300', '--upstream', '192.0.2.99', '--admin', 'off', '--state', '/s', '--volatile', '/v', '--blocklist', '/b.txt', '--log-level', 'warn']);
      expect(s.listen).toEqual([{ host: '127.0.0.1', port: 5300 }]);
      expect(s.upstreams).toEqual(['192.0.2.99']);
      expect(s).toMatchObject({ admin: null, stateDir: '/s', volatileDir: '/v', blocklists: ['/b.txt'], logLevel: 'warn' });
    });

    it.each(['off', 'none', '0', ''])("turns the admin off with option admin '%s'", (v) => {
      expect(ok(`config telemute\n\toption admin '${v}'\n`).admin).toBeNull();
    });

    it('turns the LAN domain off with an empty value', () => {
      expect(ok("config telemute\n\toption lan_domain ''\n").lanDomain).toBeNull();
    });
  });

  describe('when the file has errors', () => {
    it('reports every error together, each with file, line and option', () => {
      const e = errors(`config telemute
	list listen 'nowhere:53'
	list upstream 'tls://192.0.2.1'
	list allow '192.168.1.0/33'
	option colour 'blue'
config cache
	option max_ttl 'abc'
	option negative_max_ttl '-1'
`);
      expect(e).toHaveLength(6);
      expect(e[0]).toMatch(/^\/etc\/config\/telemute:5: option 'colour': unknown option in 'config telemute'/);
      expect(e).toContainEqual(expect.stringMatching(/^\/etc\/config\/telemute:2: option 'listen': 'nowhere:53': 'nowhere' is not an IP address$/));
      expect(e).toContainEqual(expect.stringMatching(/^\/etc\/config\/telemute:3: option 'upstream': tls:\/\/ upstreams are not supported yet/));
      expect(e).toContainEqual(expect.stringMatching(/^\/etc\/config\/telemute:4: option 'allow': '192\.168\.1\.0\/33': prefix length must be 0-32$/));
      expect(e).toContainEqual("/etc/config/telemute:7: option 'max_ttl': 'abc' must be a whole number from 1 to 604800");
      expect(e).toContainEqual("/etc/config/telemute:8: option 'negative_max_ttl': '-1' must be a whole number from 0 to 86400");
    });

    it('reports an unknown section with its line', () => {
      expect(errors("config telemute\nconfig dhcp 'lan'\n")).toEqual(["/etc/config/telemute:2: unknown section 'config dhcp' (known: telemute, cache, devices, policy, geo, log, forward, record)"]);
    });

    it('reports a second main section', () => {
      expect(errors('config telemute\nconfig telemute\n')).toEqual(["/etc/config/telemute:2: 'config telemute' may appear only once"]);
    });

    it('reports a list used for a single option', () => {
      expect(errors("config telemute\n\tlist admin '127.0.0.1:8080'\n")).toEqual(["/etc/config/telemute:2: option 'admin': is a single value: use 'option', not 'list'"]);
    });

    it.each([
      ['min_ttl', "option min_ttl '100'\n\toption max_ttl '50'", /option 'min_ttl': 100 is above max_ttl 50/],
      ['servfail_ttl', "option servfail_ttl '0'", /option 'servfail_ttl': '0' must be a whole number from 1 to 300/],
      ['serve_stale', "option serve_stale 'maybe'", /option 'serve_stale': 'maybe' must be 0 or 1/],
      ['size', "option size '1.5'", /option 'size': '1.5' must be a whole number/],
    ])('reports a bad %s', (_k, line, message) => {
      const e = errors(`config cache\n\t${line}\n`);
      expect(e).toHaveLength(1);
      expect(e[0]).toMatch(/^\/etc\/config\/telemute:\d+: /);
      expect(e[0]).toMatch(message);
    });

    it.each([
      ["option log_level 'loud'", "option 'log_level': 'loud' must be debug, info, warn or error"],
      ["option lan_domain 'bad..domain'", "option 'lan_domain': 'bad..domain' is not a valid domain"],
      ["option local_server 'example.org'", "option 'local_server': 'example.org': upstream must be an IP address"],
      ["option admin '127.0.0.1:99999'", "option 'admin': '127.0.0.1:99999': port must be 0-65535"],
      ["option enabled 'perhaps'", "option 'enabled': 'perhaps' must be 0 or 1"],
    ])('reports %s', (line, message) => {
      const e = errors(`config telemute\n\t${line}\n`);
      expect(e).toHaveLength(1);
      expect(e[0]).toContain(`/etc/config/telemute:2: ${message}`);
    });

    it('reports forward and record sections', () => {
      const e = errors(`config forward
	option domain 'corp.example.net'
config forward
	list server '192.0.2.1'
config forward
	option domain 'x.example.net'
	list server 'nonsense'
config record
	option name 'a.example.org'
	option value '2001:db8::1'
`);
      expect(e).toEqual([
        "/etc/config/telemute:1: option 'server': missing: forward for 'corp.example.net' needs at least one server",
        "/etc/config/telemute:3: option 'domain': missing: 'config forward' needs a domain",
        expect.stringMatching(/^\/etc\/config\/telemute:7: option 'server': 'nonsense'/),
        "/etc/config/telemute:8: config record: value '2001:db8::1' is not an IPv4 address",
      ]);
    });

    it('reports a syntax error with its line and stops', () => {
      expect(errors("config telemute\n\toption admin 'x\n")).toEqual(['/etc/config/telemute:2: unterminated single quote']);
    });

    it('reports a file that cannot be read', () => {
      const r = loadSettings(parseArgs(['--config', '/nonexistent']), () => {
        throw Object.assign(new Error('x'), { code: 'ENOENT' });
      });
      expect(r).toEqual({ ok: false, errors: ['/nonexistent: cannot read: ENOENT'] });
    });
  });

  describe('when a flag is wrong', () => {
    it('names the flag', () => {
      expect(errors(null, ['--dns', 'nowhere', '--upstream', 'ftp://x', '--admin', '1.2.3.4:0x', '--log-level', 'loud'])).toEqual([
        "command line: --dns: 'nowhere': 'nowhere' is not an IP address",
        "command line: --upstream: unknown upstream scheme 'ftp://'",
        expect.stringMatching(/^command line: --admin: /),
        "command line: --log-level: 'loud' must be debug, info, warn or error",
      ]);
    });
  });
});
