/**
 * A local RDAP world for tests: an IANA-style bootstrap, registries and a registrar on
 * 127.0.0.1, answering like the real ones (Verisign's thin .com record with a `related`
 * registrar link, a registrar's jCard registrant, PIR-style RFC 9537 redaction), plus the bad
 * days: 404, 429 with Retry-After, malformed JSON, a slow answer, an oversized body, a redirect.
 * And a port-43 WHOIS server answering in CNNIC's and TCI's formats.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

const RDAP = { 'content-type': 'application/rdap+json' };

/** A jCard (RFC 7095) as RDAP entities carry it. */
function card(props: Array<[string, Record<string, string>, string, unknown]>): unknown {
  return ['vcard', [['version', {}, 'text', '4.0'], ...props]];
}

/** Verisign-style thin registry answer: registrar entity, events, a related link. */
function thin(domain: string, registrarUrl: string, self: string): unknown {
  return {
    objectClassName: 'domain',
    handle: '1234567_DOMAIN_COM-VRSN',
    ldhName: domain.toUpperCase(),
    links: [
      { value: self, rel: 'self', href: self, type: 'application/rdap+json' },
      { value: registrarUrl, rel: 'related', href: registrarUrl, type: 'application/rdap+json' },
    ],
    status: ['client delete prohibited', 'client transfer prohibited'],
    entities: [
      {
        objectClassName: 'entity',
        handle: '292',
        roles: ['registrar'],
        publicIds: [{ type: 'IANA Registrar ID', identifier: '292' }],
        vcardArray: card([['fn', {}, 'text', 'MarkMonitor Inc.']]),
      },
    ],
    events: [
      { eventAction: 'registration', eventDate: '2010-03-03T07:22:15Z' },
      { eventAction: 'expiration', eventDate: '2030-03-03T07:22:15Z' },
      { eventAction: 'last update of RDAP database', eventDate: '2026-11-24T06:00:00Z' },
    ],
    rdapConformance: ['rdap_level_0', 'icann_rdap_technical_implementation_guide_1', 'icann_rdap_response_profile_1'],
  };
}

/** A registrar's (or thick registry's) answer with a registrant entity. */
function withRegistrant(domain: string, registrant: unknown[], extra: Record<string, unknown> = {}): unknown {
  return {
    objectClassName: 'domain',
    ldhName: domain,
    entities: [
      { objectClassName: 'entity', roles: ['registrant'], vcardArray: ['vcard', [['version', {}, 'text', '4.0'], ...registrant]] },
      { objectClassName: 'entity', roles: ['registrar'], vcardArray: card([['fn', {}, 'text', 'MarkMonitor, Inc.']]) },
    ],
    events: [{ eventAction: 'registration', eventDate: '2010-03-03T07:22:15Z' }],
    ...extra,
  };
}

/** The organisation our "xiaomi.com-style" registrar returns. */
export const XIAOMI_ORG = 'Beijing Xiaomi Mobile Software Co., Ltd.';
/** A hostile organisation name: must come back as data, byte for byte. */
export const HOSTILE_ORG = '<script>alert("x")</script> & Sons \u202eLtd';

/** The running RDAP world. */
export interface RdapWorld {
  base: string;
  bootstrapUrl: string;
  /** The bootstrap file as served (registries under `base`). */
  bootstrap: unknown;
  /** Paths requested, in order. */
  requests: string[];
  /** How many more 429s /info answers before it answers normally. */
  tooMany: number;
  /** Retry-After value sent with 429 (seconds, as a string). */
  retryAfter: string;
  close(): Promise<void>;
}

/** Starts the RDAP world on 127.0.0.1:0. */
export async function startRdapServer(): Promise<RdapWorld> {
  const server = createServer((req, res) => handle(world, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tlds = ['com', 'org', 'net', 'info', 'io', 'app', 'dev', 'xyz', 'us'];
  const world: RdapWorld = {
    base,
    bootstrapUrl: `${base}/iana/dns.json`,
    bootstrap: {
      version: '1.0',
      publication: '2026-11-24T00:00:00Z',
      description: 'RDAP bootstrap file for Domain Name System registrations',
      services: tlds.map((t) => [[t], [`${base}/${t}/`]]),
    },
    requests: [],
    tooMany: 0,
    retryAfter: '1',
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return world;
}

function handle(world: RdapWorld, req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '/';
  world.requests.push(path);
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { ...RDAP, ...headers });
    res.end(JSON.stringify(body));
  };
  const lower = path.toLowerCase();
  if (lower === '/iana/dns.json') return json(200, world.bootstrap);
  if (lower === '/com/domain/example.com') {
    return json(200, thin('example.com', `${world.base}/registrar/domain/EXAMPLE.COM`, `${world.base}${path}`));
  }
  if (lower === '/registrar/domain/example.com') {
    return json(200, withRegistrant('EXAMPLE.COM', [
      ['fn', {}, 'text', ''],
      ['org', {}, 'text', XIAOMI_ORG],
      ['adr', { cc: 'CN' }, 'text', ['', '', '', '', 'Beijing', '', '']],
      ['email', {}, 'text', 'Select Request Email Form at https://domains.markmonitor.com/whois/example.com'],
    ]));
  }
  if (lower === '/org/domain/example.org') {
    // PIR-style thick record: name and organisation removed, stated in RFC 9537 `redacted`.
    return json(200, withRegistrant('example.org', [
      ['fn', {}, 'text', ''],
      ['adr', { cc: 'IS' }, 'text', ['', '', '', '', 'Capital Region', '', '']],
    ], {
      redacted: [
        { name: { type: 'Registrant Name' }, postPath: "$.entities[?(@.roles[0]=='registrant')].vcardArray[1][?(@[0]=='fn')][3]", pathLang: 'jsonpath', method: 'emptyValue', reason: { type: 'Server policy' } },
        { name: { type: 'Registrant Organization' }, prePath: "$.entities[?(@.roles[0]=='registrant')].vcardArray[1][?(@[0]=='org')]", pathLang: 'jsonpath', method: 'removal', reason: { type: 'Server policy' } },
      ],
    }));
  }
  if (lower === '/net/domain/example.net') return json(404, { errorCode: 404, title: 'Not Found', description: ['The requested object was not found'] });
  if (lower === '/info/domain/example.info') {
    if (world.tooMany > 0) {
      world.tooMany--;
      return json(429, { errorCode: 429, title: 'Too Many Requests' }, { 'retry-after': world.retryAfter });
    }
    return json(200, withRegistrant('example.info', [['org', {}, 'text', 'Example Info Ltd'], ['adr', {}, 'text', ['', '', '', '', 'Bavaria', '', 'DE']]]));
  }
  if (lower === '/io/domain/example.io') {
    res.writeHead(200, RDAP);
    return void res.end('{"objectClassName": "domain", "ldhName": "example.io", ');
  }
  if (lower === '/app/domain/example.app') {
    const t = setTimeout(() => json(200, withRegistrant('example.app', [['org', {}, 'text', 'Too Late Inc']])), 5000);
    return void res.on('close', () => clearTimeout(t));
  }
  if (lower === '/dev/domain/example.dev') {
    res.writeHead(200, RDAP); // no Content-Length: the cap must hold while streaming
    return void res.end(JSON.stringify({ objectClassName: 'domain', padding: 'x'.repeat(300 * 1024) }));
  }
  if (lower === '/xyz/domain/example.xyz') {
    res.writeHead(302, { location: '/xyz-moved/domain/example.xyz' });
    return void res.end();
  }
  if (lower === '/xyz-moved/domain/example.xyz') {
    return json(200, withRegistrant('example.xyz', [['fn', {}, 'text', 'Redirected Org'], ['kind', {}, 'text', 'org'], ['adr', { cc: 'nl' }, 'text', ['', '', '', '', '', '', '']]]));
  }
  if (lower === '/us/domain/example.us') {
    return json(200, withRegistrant('example.us', [['org', {}, 'text', HOSTILE_ORG], ['adr', { cc: 'US' }, 'text', ['', '', '', '', 'CA', '', '']]]));
  }
  return json(404, { errorCode: 404, title: 'Not Found' });
}

/** CNNIC's format (whois.cnnic.cn), as it answers for a company-held .cn name. */
export const CN_RECORD = [
  'Domain Name: example.cn',
  'ROID: 20030311s10001s00033735-cn',
  'Domain Status: clientDeleteProhibited',
  'Domain Status: clientTransferProhibited',
  'Registrant: 北京小米科技有限责任公司',
  'Registrant Contact Email: domain@example.cn',
  'Sponsoring Registrar: 北京新网数码信息技术有限公司',
  'Name Server: ns1.example.cn',
  'Name Server: ns2.example.cn',
  'Registration Time: 2003-03-17 12:20:05',
  'Expiration Time: 2030-03-17 12:48:36',
  'DNSSEC: unsigned',
  '',
].join('\r\n');

/** TCI's format (whois.tcinet.ru) for an organisation and for a private person. */
export const RU_RECORD = [
  '% TCI Whois Service. Terms of use:',
  '% https://tcinet.ru/documents/whois_ru_rf.pdf (in Russian)',
  '% https://tcinet.ru/documents/whois_su.pdf (in Russian)',
  '',
  'domain:        EXAMPLE.RU',
  'nserver:       ns1.example.ru. 192.0.2.1',
  'state:         REGISTERED, DELEGATED, VERIFIED',
  'org:           ООО "Пример"',
  'taxpayer-id:   7700000000',
  'registrar:     RU-CENTER-RU',
  'admin-contact: https://www.nic.ru/whois',
  'created:       1999-04-21T20:00:00Z',
  'paid-till:     2030-04-30T21:00:00Z',
  'free-date:     2030-06-01',
  'source:        TCI',
  '',
  'Last updated on 2026-11-24T06:51:30Z',
  '',
].join('\n');
const RU_PRIVATE = RU_RECORD.replace('org:           ООО "Пример"', 'person:        Private Person').replace(/EXAMPLE\.RU/g, 'PRIVATE-EXAMPLE.RU');

/** The running WHOIS server. */
export interface WhoisWorld {
  port: number;
  /** Query lines received, in order. */
  queries: string[];
  close(): Promise<void>;
}

/** Starts a port-43-style server on 127.0.0.1:0 answering example.cn, example.ru, private-example.ru. */
export async function startWhoisServer(): Promise<WhoisWorld> {
  const sockets = new Set<Socket>();
  const queries: string[] = [];
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString('utf8');
      const end = buf.indexOf('\r\n');
      if (end < 0) return;
      const q = buf.slice(0, end).trim().toLowerCase();
      queries.push(q);
      const answer = q === 'example.cn' ? CN_RECORD : q === 'example.ru' ? RU_RECORD : q === 'private-example.ru' ? RU_PRIVATE : 'No matching record.\r\n';
      socket.end(answer, 'utf8'); // RFC 3912: the server closes after the answer
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    queries,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
