import { describe, expect, it } from 'vitest';
import { defaultPolicyDoc, type PolicyDoc } from '../../src/policy/policy-doc.js';
import { ID, checkGroup, checkListSource, checkPolicyDoc, checkRule, checkSpec } from '../../src/policy/policy-validate.js';

const known = { catalogs: new Set(['xiaomi', 'samsung']) };

/** A document using every part of the format. */
function fullDoc(): PolicyDoc {
  const doc = defaultPolicyDoc();
  doc.household.catalogs = { '*': 'block', samsung: 'observe' };
  doc.household.geo = [{ id: 'sg-flag', action: 'flag', countries: ['SG'], asns: [45102] }];
  doc.household.schedules = [{ id: 'bedtime', name: 'Bed time', days: [0, 1, 2, 3, 4], from: '21:30', to: '07:00', apply: { blockAll: true } }];
  doc.groups = [{ id: 'tv', name: 'TVs', spec: { catalogs: { '*': 'off', samsung: 'block' }, sensitive: { xiaomi: 'block' }, lists: { ads: 'observe' } } }];
  doc.devices['aa:bb:cc:00:00:01'] = { observe: true, safeSearch: 'strict', geo: [{ id: 'cn-reg', action: 'strip', registrantCountries: ['CN'], registrantOrgs: ['Example Org'] }] };
  doc.rules = [{ id: 'ads', text: '||ads.example.org^', scope: 'group:tv', enabled: true, comment: 'banners' }];
  doc.lists = [{ id: 'ads', name: 'Ads', url: 'https://lists.example.org/ads.txt', enabled: true, updateHours: 24 }];
  doc.pauses = { household: 1_800_000_000_000 };
  doc.allows = [{ device: 'aa:bb:cc:00:00:01', name: 'tv.example.net', until: 1_800_000_000_000 }];
  return doc;
}

/** A full document with one change, checked: the error messages. */
function errorsOf(edit: (doc: Record<string, any>) => void): string[] {
  const doc = fullDoc() as unknown as Record<string, any>;
  edit(doc);
  return checkPolicyDoc(JSON.parse(JSON.stringify(doc)), known).errors;
}

describe('policy-validate', () => {
  describe('when the document is valid', () => {
    it('accepts a full document and returns it', () => {
      const doc = fullDoc();
      expect(checkPolicyDoc(doc, known)).toEqual({ doc, errors: [] });
    });

    it('accepts the defaults', () => {
      expect(checkPolicyDoc(defaultPolicyDoc(), known).errors).toEqual([]);
    });
  });

  describe('when a field is bad', () => {
    it.each<[string, (d: Record<string, any>) => void, string]>([
      ['version', (d) => (d.version = 2), 'version: must be 1'],
      ['household', (d) => (d.household = []), 'household: must be an object'],
      ['unknown spec field', (d) => (d.household.colour = 'red'), 'household.colour: unknown field'],
      ['catalog mode', (d) => (d.groups[0].spec.catalogs.samsung = 'sometimes'), 'groups[0].spec.catalogs.samsung: must be block, observe, off'],
      ['unknown catalog', (d) => (d.household.catalogs.nosuch = 'block'), 'household.catalogs.nosuch: no such catalog'],
      ['catalog key not an id', (d) => (d.household.catalogs['Bad Key'] = 'block'), 'household.catalogs: "Bad Key" is not an id'],
      ['catalogs not an object', (d) => (d.household.catalogs = ['block']), 'household.catalogs: must be an object'],
      ['sensitive mode', (d) => (d.groups[0].spec.sensitive.xiaomi = 'observe'), 'groups[0].spec.sensitive.xiaomi: must be block, flag, allow'],
      ['list mode', (d) => (d.groups[0].spec.lists.ads = 'flag'), 'groups[0].spec.lists.ads: must be block, observe, off'],
      ['boolean', (d) => (d.household.blockDoh = 'yes'), 'household.blockDoh: must be true or false'],
      ['safeSearch', (d) => (d.devices['aa:bb:cc:00:00:01'].safeSearch = 'max'), 'devices.aa:bb:cc:00:00:01.safeSearch: must be off, moderate, strict'],
      ['logMode', (d) => (d.household.logMode = 'verbose'), 'household.logMode: must be full, anonymous, off'],
      ['device spec', (d) => (d.devices.x = 'block'), 'devices.x: must be an object'],
      ['devices', (d) => (d.devices = []), 'devices: must be an object'],
      ['schedules', (d) => (d.household.schedules = {}), 'household.schedules: must be a list'],
      ['schedule id', (d) => (d.household.schedules[0].id = 'Bed Time'), 'household.schedules[0].id: a short id (a-z, 0-9, - and _)'],
      ['schedule days', (d) => (d.household.schedules[0].days = [7]), 'household.schedules[0].days: a list of 0 (Sunday) … 6 (Saturday)'],
      ['schedule no days', (d) => (d.household.schedules[0].days = []), 'household.schedules[0].days: a list of 0 (Sunday) … 6 (Saturday)'],
      ['schedule time', (d) => (d.household.schedules[0].from = '24:00'), 'household.schedules[0].from: a time HH:MM'],
      ['schedule short time', (d) => (d.household.schedules[0].to = '7:00'), 'household.schedules[0].to: a time HH:MM'],
      ['schedule empty window', (d) => (d.household.schedules[0].to = '21:30'), 'household.schedules[0]: from and to must differ'],
      ['schedule inside schedule', (d) => (d.household.schedules[0].apply.schedules = []), 'household.schedules[0].apply.schedules: unknown field'],
      ['schedule apply', (d) => (d.household.schedules[0].apply.observe = 1), 'household.schedules[0].apply.observe: must be true or false'],
      ['groups', (d) => (d.groups = {}), 'groups: must be a list'],
      ['group id', (d) => (d.groups[0].id = '-tv'), 'groups[0].id: a short id (a-z, 0-9, - and _)'],
      ['group name', (d) => (d.groups[0].name = ''), 'groups[0].name: text of 1 to 64 characters'],
      ['group spec', (d) => (d.groups[0].spec = null), 'groups[0].spec: must be an object'],
      ['rule id', (d) => (d.rules[0].id = 'x'.repeat(41)), 'rules[0].id: a short id'],
      ['rule text', (d) => (d.rules[0].text = ''), 'rules[0].text: a rule of 1 to 512 characters'],
      ['rule too long', (d) => (d.rules[0].text = 'a'.repeat(513)), 'rules[0].text: a rule of 1 to 512 characters'],
      ['rule scope', (d) => (d.rules[0].scope = 'everyone'), 'rules[0].scope: household, group:<id> or device:<id>'],
      ['rule enabled', (d) => (d.rules[0].enabled = 'true'), 'rules[0].enabled: must be true or false'],
      ['rule comment', (d) => (d.rules[0].comment = 'c'.repeat(201)), 'rules[0].comment: text up to 200 characters'],
      ['list url', (d) => (d.lists[0].url = 'ftp://lists.example.org/ads.txt'), 'lists[0].url: an http(s):// or file:/// URL, or an absolute path'],
      ['list relative path', (d) => (d.lists[0].url = 'lists/ads.txt'), 'lists[0].url: an http(s):// or file:/// URL, or an absolute path'],
      ['list hours', (d) => (d.lists[0].updateHours = 0), 'lists[0].updateHours: hours between updates, 1 to 720'],
      ['list hours too many', (d) => (d.lists[0].updateHours = 721), 'lists[0].updateHours: hours between updates, 1 to 720'],
      ['list name', (d) => (d.lists[0].name = 7), 'lists[0].name: text of 1 to 64 characters'],
      ['allow', (d) => (d.allows[0].until = 'soon'), 'allows[0]: {device, name, until}'],
      ['pauses', (d) => (d.pauses.household = 'tomorrow'), 'pauses: household or device ids, each with a time'],
      ['geo', (d) => (d.household.geo = {}), 'household.geo: a list of at most 100 rules'],
      ['too many geo rules', (d) => (d.household.geo = Array.from({ length: 101 }, (_, i) => ({ id: `r${i}`, action: 'flag', countries: ['SG'] }))), 'household.geo: a list of at most 100 rules'],
      ['geo id', (d) => (d.household.geo[0].id = ''), 'household.geo[0].id: a short id (a-z, 0-9, - and _)'],
      ['geo action', (d) => (d.household.geo[0].action = 'drop'), 'household.geo[0].action: must be flag, strip, block'],
      ['geo field', (d) => (d.household.geo[0].cities = ['Singapore']), 'household.geo[0].cities: unknown field'],
      ['geo country', (d) => (d.household.geo[0].countries = ['sg']), 'household.geo[0].countries: a list of country codes (two capital letters: SG, RU)'],
      ['geo asn', (d) => (d.household.geo[0].asns = [0]), 'household.geo[0].asns: a list of AS numbers'],
      ['geo asn too big', (d) => (d.household.geo[0].asns = [2 ** 32]), 'household.geo[0].asns: a list of AS numbers'],
      ['geo registrant', (d) => (d.devices['aa:bb:cc:00:00:01'].geo[0].registrantCountries = ['CHN']), 'devices.aa:bb:cc:00:00:01.geo[0].registrantCountries: a list of country codes (two capital letters: CN)'],
      ['geo org too short', (d) => (d.devices['aa:bb:cc:00:00:01'].geo[0].registrantOrgs = ['  ab  ']), 'devices.aa:bb:cc:00:00:01.geo[0].registrantOrgs: a list of organisation names (3 to 100 characters)'],
      ['geo names nothing', (d) => (d.household.geo[0] = { id: 'empty', action: 'flag', countries: [] }), 'household.geo[0]: name at least one country, network or registrant'],
    ])('names the field of a bad %s', (_what, edit, message) => {
      expect(errorsOf(edit)).toContain(message);
    });

    it('reports every error at once', () => {
      const errors = errorsOf((d) => {
        d.groups[0].name = '';
        d.rules[0].enabled = 1;
        d.lists[0].updateHours = 0;
      });
      expect(errors).toEqual(['groups[0].name: text of 1 to 64 characters', 'rules[0].enabled: must be true or false', 'lists[0].updateHours: hours between updates, 1 to 720']);
    });

    it('returns no document when anything is wrong', () => {
      expect(checkPolicyDoc({ ...fullDoc(), version: 2 }, known).doc).toBeNull();
    });

    it.each([null, [], 'policy', 1])('refuses %j as a document', (v) => {
      expect(checkPolicyDoc(v, known)).toEqual({ doc: null, errors: ['policy: must be an object'] });
    });
  });

  describe('when a restored document carries hostile ids or names', () => {
    it.each([
      ['an allow name', (d: PolicyDoc) => d.allows.push({ device: 'aa:bb:cc:dd:ee:ff', name: 'a\u0000b\n<script>', until: 1 }), 'allows[0].name: a domain name'],
      ['an allow device', (d: PolicyDoc) => d.allows.push({ device: '<x>\u0000', name: 'example.org', until: 1 }), 'allows[0].device'],
      ['a device key', (d: PolicyDoc) => (d.devices['\u0007<b>'] = {}), 'is not a device id'],
      ['a pause key', (d: PolicyDoc) => (d.pauses['<img>'] = 1), 'pauses: household or device ids'],
    ])('refuses %s', (_what, edit, message) => {
      const doc = defaultPolicyDoc();
      edit(doc);
      expect(checkPolicyDoc(doc, known).errors.join('\n')).toContain(message);
    });
  });

  describe('when ids appear twice', () => {
    it.each([
      ['groups', (d: PolicyDoc) => d.groups.push({ ...d.groups[0], name: 'Again' }), 'groups: id "tv" appears twice'],
      ['rules', (d: PolicyDoc) => d.rules.push({ ...d.rules[0] }), 'rules: id "ads" appears twice'],
      ['lists', (d: PolicyDoc) => d.lists.push({ ...d.lists[0], url: 'https://lists.example.net/ads.txt' }), 'lists: id "ads" appears twice'],
    ])('refuses duplicate %s', (_what, edit, message) => {
      expect(errorsOf((d) => edit(d as PolicyDoc))).toEqual([message]);
    });

    it('allows the same id in different kinds (a rule and a list both "ads")', () => {
      const doc = fullDoc();
      expect(doc.rules[0].id).toBe(doc.lists[0].id);
      expect(checkPolicyDoc(doc, known).errors).toEqual([]);
    });
  });

  describe('when text is hostile', () => {
    it.each([
      ['a group name', (d: Record<string, any>) => (d.groups[0].name = 'TV\u0007'), 'groups[0].name: text of 1 to 64 characters'],
      ['a group name with a newline', (d: Record<string, any>) => (d.groups[0].name = 'TV\n<script>'), 'groups[0].name: text of 1 to 64 characters'],
      ['a schedule name', (d: Record<string, any>) => (d.household.schedules[0].name = 'bed\u001b[31m'), 'household.schedules[0].name: text up to 64 characters'],
      ['a rule text', (d: Record<string, any>) => (d.rules[0].text = '||ads.example.org^\r\n'), 'rules[0].text: a rule of 1 to 512 characters'],
      ['a rule comment', (d: Record<string, any>) => (d.rules[0].comment = 'nul\u0000'), 'rules[0].comment: text up to 200 characters'],
      ['a list name', (d: Record<string, any>) => (d.lists[0].name = 'Ads\u0085'), 'lists[0].name: text of 1 to 64 characters'],
      ['a list URL with a space', (d: Record<string, any>) => (d.lists[0].url = 'https://lists.example.org/a b'), 'lists[0].url: an http(s):// or file:/// URL, or an absolute path'],
      ['a registrant organisation', (d: Record<string, any>) => (d.devices['aa:bb:cc:00:00:01'].geo[0].registrantOrgs = ['Example\tOrg']), 'devices.aa:bb:cc:00:00:01.geo[0].registrantOrgs: a list of organisation names (3 to 100 characters)'],
    ])('refuses control characters in %s', (_what, edit, message) => {
      expect(errorsOf(edit)).toEqual([message]);
    });

    it('accepts markup and non-Latin text without control characters (escaped where shown)', () => {
      expect(errorsOf((d) => (d.groups[0].name = '<b>Télé</b> 电视'))).toEqual([]);
    });
  });

  describe('the single-part checks', () => {
    it('check a group, a rule, a list and a spec with the caller’s path', () => {
      const errors: string[] = [];
      expect(checkGroup({ id: 'kids', name: 'Kids', spec: {} }, 'group', known, errors)).toBe(true);
      expect(checkRule({ id: 'r', text: '||x.example.org^', scope: 'device:aa:bb:cc:00:00:01', enabled: false }, 'rule', errors)).toBe(true);
      expect(checkListSource({ id: 'l', name: 'L', url: '/etc/telemute/list.txt', enabled: true, updateHours: 720 }, 'list', errors)).toBe(true);
      expect(checkSpec({ catalogs: { xiaomi: 'off' } }, 'spec', known, errors)).toBe(true);
      expect(errors).toEqual([]);
      expect(checkSpec({ catalogs: { xiaomi: 'never' } }, 'form', known, errors)).toBe(false);
      expect(checkRule('x', 'rule', errors)).toBe(false);
      expect(errors).toEqual(['form.catalogs.xiaomi: must be block, observe, off', 'rule: must be an object']);
    });

    it.each([
      ['xiaomi', true],
      ['a', true],
      ['tv_2-living', true],
      ['x'.repeat(40), true],
      ['x'.repeat(41), false],
      ['Xiaomi', false],
      ['-tv', false],
      ['', false],
      ['a.b', false],
    ])('takes %j as an id: %s', (id, ok) => {
      expect(ID.test(id)).toBe(ok);
    });
  });
});
