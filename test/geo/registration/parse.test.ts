import { describe, expect, it } from 'vitest';
import { bundledBootstrap, parseBootstrap, rdapBaseFor } from '../../../src/geo/registration/bootstrap.js';
import { registrableDomain } from '../../../src/geo/registration/domain.js';
import { parseRetryAfter } from '../../../src/geo/registration/http.js';
import { registrantOf, registrantRedacted, relatedLink } from '../../../src/geo/registration/rdap-parse.js';
import { emptyRegistration, summary, type Registration } from '../../../src/geo/registration/types.js';
import { parseWhois } from '../../../src/geo/registration/whois.js';
import { CN_RECORD, RU_RECORD } from '../../helpers/rdap-server.js';

describe('registrableDomain', () => {
  it.each([
    ['api.io.mi.com', 'mi.com'],
    ['WWW.Example.ORG.', 'example.org'],
    ['a.b.elb.amazonaws.com', 'amazonaws.com'], // ICANN section only: the registrant's domain
    ['user.github.io', 'github.io'],
    ['www.bbc.co.uk', 'bbc.co.uk'],
    ['bücher.de', 'xn--bcher-kva.de'],
    ['пример.рф', 'xn--e1afmkfd.xn--p1ai'],
    ['192.168.1.1', null],
    ['::1', null],
    ['router', null],
    ['nas.local', null],
    ['printer.lan', null],
    ['printer.home.arpa', null],
    ['4.3.2.1.in-addr.arpa', null],
    ['foo.internal', null],
    ['com', null],
    ['', null],
  ])('%s → %s', (name, want) => {
    expect(registrableDomain(name)).toBe(want);
  });
});

describe('bootstrap', () => {
  it('ships a valid subset with https base URLs ending in "/"', () => {
    const b = bundledBootstrap();
    expect(rdapBaseFor(b, 'example.com')).toBe('https://rdap.verisign.com/com/v1/');
    expect(rdapBaseFor(b, 'example.org')).toBe('https://rdap.publicinterestregistry.org/rdap/');
    for (const base of b.bases.values()) expect(base).toMatch(/^https:\/\/.+\/$/);
    expect(rdapBaseFor(b, 'example.cn')).toBeNull(); // no RDAP in IANA's file: WHOIS
  });

  it('prefers https and the longest match (RFC 9224 §4)', () => {
    const b = parseBootstrap({ services: [[['uk'], ['http://a.example.net/uk', 'https://a.example.net/uk/']], [['co.uk'], ['https://b.example.net/']]] })!;
    expect(rdapBaseFor(b, 'example.co.uk')).toBe('https://b.example.net/');
    expect(rdapBaseFor(b, 'example.uk')).toBe('https://a.example.net/uk/');
  });

  it.each([null, 'x', {}, { services: 'x' }, { services: [[['com'], []]] }, { services: [[['com'], ['ftp://x/']]] }])('rejects %j', (json) => {
    expect(parseBootstrap(json)).toBeNull();
  });
});

describe('rdap-parse', () => {
  const entity = (props: unknown[]) => ({ entities: [{ roles: ['registrant'], vcardArray: ['vcard', [['version', {}, 'text', '4.0'], ...props]] }] });

  it.each(['REDACTED FOR PRIVACY', 'Data Protected', 'Privacy service provided by Withheld for Privacy ehf', 'Domains By Proxy, LLC'])(
    'treats "%s" as a placeholder, not an organisation',
    (org) => {
      const r = registrantOf(entity([['org', {}, 'text', org], ['adr', {}, 'text', ['', '', '', '', 'Reykjavik', '', 'IS']]]));
      expect(r).toMatchObject({ present: true, placeholder: true, org: null, country: 'IS', region: 'Reykjavik' });
    },
  );

  it('uses fn only when the card is an organisation', () => {
    expect(registrantOf(entity([['fn', {}, 'text', 'Jane Doe']])).org).toBeNull();
    expect(registrantOf(entity([['fn', {}, 'text', 'Example Org'], ['kind', {}, 'text', 'org']])).org).toBe('Example Org');
  });

  it('tolerates any shape without throwing', () => {
    for (const junk of [null, 1, 'x', [], { entities: 'x' }, { entities: [null, { roles: 'registrant' }, { roles: ['registrant'], vcardArray: 5 }] }]) {
      expect(() => registrantOf(junk)).not.toThrow();
      expect(relatedLink(junk, '')).toBeNull();
      expect(registrantRedacted(junk)).toBe(false);
    }
  });

  it('follows only an RDAP related link', () => {
    const doc = { links: [{ rel: 'related', href: 'https://whois.example.net/', type: 'text/html' }, { rel: 'related', href: 'https://rdap.example.net/domain/x', type: 'application/rdap+json' }] };
    expect(relatedLink(doc, 'https://self')).toBe('https://rdap.example.net/domain/x');
  });
});

describe('parseWhois', () => {
  it('reads CNNIC and TCI formats', () => {
    expect(parseWhois('example.cn', CN_RECORD, 1)).toMatchObject({ status: 'found', registrant: { org: '北京小米科技有限责任公司', country: null }, created: '2003-03-17 12:20:05' });
    expect(parseWhois('example.ru', RU_RECORD, 1)).toMatchObject({ status: 'found', registrant: { org: 'ООО "Пример"' }, created: '1999-04-21T20:00:00Z' });
  });

  it('reads the ICANN format with country and province', () => {
    const text = 'Domain Name: example.net\nRegistrar: Example Registrar, Inc.\nCreation Date: 1999-01-01T00:00:00Z\nRegistrant Organization: Example Org\nRegistrant State/Province: Guangdong\nRegistrant Country: CN\n';
    expect(parseWhois('example.net', text, 1)).toMatchObject({ status: 'found', registrant: { org: 'Example Org', country: 'CN', region: 'Guangdong' }, registrar: 'Example Registrar, Inc.' });
    const redacted = text.replace('Example Org', 'REDACTED FOR PRIVACY');
    expect(parseWhois('example.net', redacted, 1)).toMatchObject({ status: 'withheld', registrant: { org: null, country: 'CN' } });
  });

  it.each([['No matching record.', 'unavailable'], ['', 'unavailable'], ['Queried interval is too short.', 'error']])('"%s" → %s', (text, status) => {
    expect(parseWhois('example.cn', text, 1).status).toBe(status);
  });
});

describe('summary', () => {
  const base = emptyRegistration('example.org', 'found', 'rdap', 0);
  it.each<[Registration | null, string]>([
    [{ ...base, registrant: { org: 'Example Org', country: 'CN', region: 'Beijing' } }, 'Example Org, CN, Beijing'],
    [{ ...base, registrant: { org: 'Example Org', country: null, region: null } }, 'Example Org'],
    [{ ...base, status: 'withheld' }, 'withheld (privacy)'],
    [{ ...base, status: 'unavailable' }, 'registration unavailable'],
    [{ ...base, status: 'error' }, 'registration lookup failed'],
    [null, 'registration unknown'],
  ])('%#', (reg, want) => expect(summary(reg)).toBe(want));
});

describe('parseRetryAfter', () => {
  it.each<[string | undefined, number | null]>([
    ['120', 120_000],
    ['Thu, 01 Jan 1970 00:00:10 GMT', 10_000],
    ['soon', null],
    [undefined, null],
  ])('%s → %s', (v, want) => expect(parseRetryAfter(v, 0)).toBe(want));
});
