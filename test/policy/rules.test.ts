import { describe, expect, it } from 'vitest';
import { checkRegex } from '../../src/policy/regex-safety.js';
import { compileRules, describeRule } from '../../src/policy/rules.js';

/** Compiles rules given as texts (ids r0, r1...) and fails on any error. */
function matcher(...texts: string[]) {
  const { matcher: m, errors } = compileRules(texts.map((text, i) => ({ id: `r${i}`, text })));
  expect(errors).toEqual([]);
  return m;
}

/** The message for one rule text, or undefined if it compiled. */
function problem(text: string): string | undefined {
  return compileRules([{ id: 'x', text }]).errors[0]?.message;
}

describe('rules', () => {
  describe('when matching each kind', () => {
    // [rule, name, matches?]
    const table: [string, string, boolean][] = [
      // bare name: AdGuard Home semantics, the name and its subdomains
      ['example.org', 'example.org', true],
      ['example.org', 'ads.example.org', true],
      ['example.org', 'a.b.example.org', true],
      ['example.org', 'badexample.org', false],
      ['example.org', 'example.org.example.net', false],
      ['example.org', 'org', false],
      // suffix
      ['||example.org^', 'example.org', true],
      ['||example.org^', 'x.example.org', true],
      ['||example.org^', 'notexample.org', false],
      ['||example.org', 'x.example.org', true],
      ['*.example.org', 'example.org', true],
      ['*.example.org', 'deep.x.example.org', true],
      ['*.example.org', 'example.net', false],
      // exact
      ['|example.org^', 'example.org', true],
      ['|example.org^', 'www.example.org', false],
      ['|example.org|', 'example.org', true],
      ['|www.example.org', 'www.example.org', true],
      // trailing dot in the rule is the root
      ['example.org.', 'x.example.org', true],
      // wildcard inside a label
      ['ads*.example.org', 'ads.example.org', true],
      ['ads*.example.org', 'ads42.example.org', true],
      ['ads*.example.org', 'x.ads42.example.org', true],
      ['ads*.example.org', 'bads.example.org', false],
      ['ads*.example.org', 'ads.x.example.org', false],
      ['*-tracker.example.net', 'eu-tracker.example.net', true],
      ['*-tracker.example.net', '-tracker.example.net', true],
      ['*-tracker.example.net', 'a.b-tracker.example.net', true],
      ['*-tracker.example.net', 'tracker.example.net', false],
      ['|ads*.example.org^', 'ads1.example.org', true],
      ['|ads*.example.org^', 'x.ads1.example.org', false],
      ['|*.example.org^', 'x.example.org', true],
      ['|*.example.org^', 'example.org', false],
      ['|*.example.org^', 'a.x.example.org', false],
      ['ads.*', 'ads.example', true],
      ['ads.*', 'ads.example.org', false],
      ['a*z.example.org', 'abcz.example.org', true],
      // regex
      ['/^ad[0-9]+\\.example\\.org$/', 'ad12.example.org', true],
      ['/^ad[0-9]+\\.example\\.org$/', 'x.ad12.example.org', false],
      ['/^ad[0-9]+\\.example\\.org$/', 'ads.example.org', false],
      ['/track/', 'eu.tracking.example.net', true],
      ['/(^|\\.)metrics\\.example\\.net$/', 'a.metrics.example.net', true],
      ['/^(?<svc>ads|stats)\\.example\\.org$/', 'stats.example.org', true],
      ['/^(www\\.)?example\\.org$/', 'www.example.org', true],
      ['/^(.+[_.-])?ad[sxv]?[0-9]*[_.-]/', 'x.adx1.example.org', true],
    ];
    it.each(table)('%s on %s → %s', (rule, name, matches) => {
      expect(matcher(rule).match(name)).toEqual(matches ? { action: 'block', ruleId: 'r0' } : null);
    });
  });

  describe('when a wildcard is used', () => {
    it.each([
      ['ads*.example.org', 'ads.x.example.org'],
      ['ads*.example.org', 'adsx.y.example.org'],
      ['a*z.example.org', 'a.z.example.org'],
      ['|*.example.org^', 'a.b.example.org'],
    ])('%s never crosses a dot (%s)', (rule, name) => {
      expect(matcher(rule).match(name)).toBeNull();
    });
  });

  describe('when allow and block rules both match', () => {
    it.each([
      [['||example.org^', '@@||cdn.example.org^'], 'cdn.example.org', { action: 'allow', ruleId: 'r1' }],
      [['||example.org^', '@@||cdn.example.org^'], 'img.cdn.example.org', { action: 'allow', ruleId: 'r1' }],
      [['||example.org^', '@@||cdn.example.org^'], 'www.example.org', { action: 'block', ruleId: 'r0' }],
      [['|cdn.example.org^', '@@/^cdn\\./'], 'cdn.example.org', { action: 'allow', ruleId: 'r1' }],
      [['@@ads*.example.org', 'ads1.example.org'], 'ads1.example.org', { action: 'allow', ruleId: 'r0' }],
      [['/example/', '@@example.org'], 'a.example.org', { action: 'allow', ruleId: 'r1' }],
      [['example.net', '@@example.org'], 'example.net', { action: 'block', ruleId: 'r0' }],
    ] as const)('%j on %s → %j', (rules, name, decision) => {
      expect(matcher(...rules).match(name)).toEqual(decision);
    });
  });

  describe('when reporting the deciding rule', () => {
    it('names the most specific map rule, then the first pattern in rule order', () => {
      const m = matcher('example.org', 'ads.example.org', '/^ads/', '/^ads\\./');
      expect(m.match('ads.example.org')).toEqual({ action: 'block', ruleId: 'r1' });
      expect(m.match('x.example.org')).toEqual({ action: 'block', ruleId: 'r0' });
      expect(m.match('ads.example.net')).toEqual({ action: 'block', ruleId: 'r2' });
    });

    it('keeps the first of two duplicate rules', () => {
      expect(matcher('example.org', '||example.org^').match('example.org')?.ruleId).toBe('r0');
    });

    it('prefers an exact rule to a suffix rule for the same name', () => {
      expect(matcher('||example.org^', '|example.org^').match('example.org')?.ruleId).toBe('r1');
    });
  });

  describe('when the rule has capitals or spaces around it', () => {
    it.each([
      ['ADS.Example.ORG', 'ads.example.org'],
      ['  ||Example.Org^ ', 'x.example.org'],
      ['Ads*.EXAMPLE.org', 'ads1.example.org'],
      ['/^ADS\\.example\\.org$/', 'ads.example.org'],
      ['@@|WWW.example.ORG^', 'www.example.org'],
    ])('%s matches %s', (rule, name) => {
      expect(matcher(rule).match(name)).not.toBeNull();
    });
  });

  describe('when describing a rule', () => {
    it.each([
      ['example.org', 'suffix', false],
      ['||example.org^', 'suffix', false],
      ['*.example.org', 'suffix', false],
      ['|example.org^', 'exact', false],
      ['ads*.example.org', 'wildcard', false],
      ['/^ad[0-9]+\\.example\\.org$/', 'regex', false],
      ['@@||cdn.example.org^', 'suffix', true],
      ['@@/cdn/', 'regex', true],
      ['@@|example.net^', 'exact', true],
    ] as const)('%s is %s (allow: %s)', (text, kind, isAllow) => {
      expect(describeRule(text)).toEqual({ kind, isAllow });
    });

    it('gives the message for an invalid rule', () => {
      expect(describeRule('*.')).toEqual({ message: 'rule "*.": not a domain' });
    });
  });

  describe('when a domain rule is invalid', () => {
    it.each([
      ['*.', 'rule "*.": not a domain'],
      ['exa mple.org', 'rule "exa mple.org": spaces are not allowed'],
      ['0.0.0.0 example.org', 'rule "0.0.0.0 example.org": spaces are not allowed'],
      ['<script>', 'rule "<script>": not a domain ("<" is not allowed; use letters, digits, "-", "_", "." and "*")'],
      ['', 'rule "": empty rule'],
      ['@@', 'rule "@@": not a domain'],
      ['||^', 'rule "||^": not a domain'],
      ['example..org', 'rule "example..org": not a domain (empty label: two dots in a row, or a dot at an end)'],
      ['.example.org', 'rule ".example.org": not a domain (empty label: two dots in a row, or a dot at an end)'],
      ['*', 'rule "*": not a domain (it would match every name)'],
      ['*.*', 'rule "*.*": not a domain (it would match every name)'],
      ['||example.org^$important', 'rule "||example.org^$important": rule options after "$" are not supported'],
      ['bücher.example', 'rule "bücher.example": not a domain (write international names in punycode: xn--...)'],
      [`${'a'.repeat(64)}.example.org`, `rule "${'a'.repeat(64)}.example.org": not a domain (a label is longer than 63 characters)`],
      [`${'abc.'.repeat(63)}org`, `rule "${'abc.'.repeat(63)}org": not a domain (longer than 253 characters)`],
      ['example.org/path', 'rule "example.org/path": not a domain ("/" is not allowed; use letters, digits, "-", "_", "." and "*")'],
    ])('%j → %s', (text, message) => {
      expect(problem(text)).toBe(message);
    });

    it('keeps hostile text verbatim (escaping is the view\'s job)', () => {
      const text = '<script>alert("x")</script>';
      expect(problem(text)).toContain(`rule "${text}": not a domain`);
    });
  });

  describe('when a regex rule is unsafe or invalid', () => {
    const long = `/${'a'.repeat(257)}/`;
    it.each([
      ['/(a+)+/', 'nested quantifier (a quantified group contains a quantifier) can take exponential time'],
      ['/(a*)*/', 'nested quantifier (a quantified group contains a quantifier) can take exponential time'],
      ['/(a|b+)*/', 'nested quantifier (a quantified group contains a quantifier) can take exponential time'],
      ['/(?:x+){2,}/', 'nested quantifier (a quantified group contains a quantifier) can take exponential time'],
      ['/((a+))+$/', 'nested quantifier (a quantified group contains a quantifier) can take exponential time'],
      ['/^(a+?)+$/', 'nested quantifier (a quantified group contains a quantifier) can take exponential time'],
      ['/(a|aa)*b/', 'alternation inside a repeated group (like "(a|ab)*") can take exponential time'],
      ['/(a)\\1/', 'backreference "\\1" is not allowed'],
      ['/(?<x>a)\\k<x>/', 'backreference "\\k<...>" is not allowed'],
      ['/ad(?=s)/', 'lookaround "(?=" is not allowed'],
      ['/ad(?!s)/', 'lookaround "(?!" is not allowed'],
      ['/(?<=x)ad/', 'lookaround "(?<=" is not allowed'],
      ['/(?<!x)ad/', 'lookaround "(?<!" is not allowed'],
      ['/a{254}/', 'repeat bound in "{254}" is above 253'],
      ['/a{1,300}/', 'repeat bound in "{1,300}" is above 253'],
      [long, 'regular expression is longer than 256 characters'],
      ['/.*.*.*x/', 'too many repeats (*, +, ?, {m,n}) in one pattern: matching could take seconds'],
      ['//', 'empty regular expression'],
      ['/abc', 'a regular expression must end with "/"'],
      ['/(abc/', 'unterminated group "("'],
      ['/abc)/', 'unmatched ")"'],
      ['/[abc/', 'unterminated character class "["'],
      ['/*abc/', 'quantifier "*" has nothing to repeat'],
      ['/a**/', 'quantifier "*" has nothing to repeat'],
      ['/(?i)ads/', 'unsupported group "(?i"'],
      ['/abc\\/', 'regular expression ends with a lone "\\"'],
    ])('%s → %s', (text, message) => {
      expect(problem(text)).toBe(`rule "${text}": ${message}`);
    });

    it('reports what the JavaScript engine rejects', () => {
      expect(problem('/a{3,2}/')).toMatch(/^rule "\/a\{3,2\}\/": invalid regular expression \(/);
    });

    it.each([
      '^ad[0-9]+\\.example\\.org$',
      '(^|\\.)ads?\\.example\\.net$',
      '^(www\\.)?example\\.org$',
      '^a{2,253}$',
      '.*track.*',
      '[(+*]+x',
      'a{,5}',
      '^a+?b*?c??',
      '^(?:[a-z]+)?\\.example\\.org$',
    ])('accepts the safe pattern %s', (pattern) => {
      expect(checkRegex(pattern)).toBeUndefined();
      expect(problem(`/${pattern}/`)).toBeUndefined();
    });
  });

  describe('when a list has good and bad rules', () => {
    it('compiles the good ones and reports each bad one with its id', () => {
      const { matcher: m, errors } = compileRules([
        { id: 'a', text: '||example.org^' },
        { id: 'b', text: '/(a+)+/' },
        { id: 'c', text: '<script>' },
        { id: 'd', text: '@@cdn.example.org' },
      ]);
      expect(m.size).toBe(2);
      expect(errors.map((e) => [e.id, e.text])).toEqual([
        ['b', '/(a+)+/'],
        ['c', '<script>'],
      ]);
      expect(m.match('cdn.example.org')).toEqual({ action: 'allow', ruleId: 'd' });
    });

    it('never throws, whatever the text', () => {
      const texts = ['\u0000', '/(/', '/[/', '|', '||', '^', '@@/', '/\\', '{', '/{/', '/a{/', '/(?<a/'];
      expect(() => compileRules(texts.map((text, i) => ({ id: `${i}`, text })))).not.toThrow();
      expect(compileRules([{ id: 'x', text: '/a{/' }]).errors).toEqual([]); // a lone `{` is a literal
    });

    it('matches nothing when there are no rules', () => {
      expect(compileRules([]).matcher.match('example.org')).toBeNull();
    });
  });

  describe('when there are many rules', () => {
    // Wildcards are filed under their literal tail (site<i>.example.org), so each lookup tries
    // only the few wildcards of its own tail, not all 2 000.
    it('compiles 10 000 rules and runs 100 000 lookups', () => {
      const rules = [];
      for (let i = 0; i < 10_000; i++) {
        const kind = i % 5;
        const text =
          kind === 0 ? `||host${i}.example.org^`
          : kind === 1 ? `|host${i}.example.net^`
          : kind === 2 ? `host-*.site${i}.example.org`
          : kind === 3 ? `@@|keep${i}.example.org^`
          : `host${i}.example.net`;
        rules.push({ id: `r${i}`, text });
      }
      rules.push({ id: 're', text: '/^zz[0-9]+\\.example\\.com$/' });
      const { matcher: m, errors } = compileRules(rules);
      expect(errors).toEqual([]);
      expect(m.size).toBe(10_001);

      const counts = { block: 0, allow: 0, none: 0 };
      for (let q = 0; q < 100_000; q++) {
        const i = q % 10_000;
        const name =
          q % 4 === 0 ? `a.host${i}.example.org`
          : q % 4 === 1 ? `host-x.site${i}.example.org`
          : q % 4 === 2 ? `keep${i}.example.org`
          : `zz${q}.example.com`;
        const d = m.match(name);
        counts[d ? d.action : 'none']++;
      }
      // q%4==0: blocked when i%5==0 (suffix); q%4==1: blocked when i%5==2 (wildcard);
      // q%4==2: allowed when i%5==3; q%4==3: all blocked by the regex.
      expect(counts).toEqual({ block: 5_000 + 5_000 + 25_000, allow: 5_000, none: 60_000 });
    });
  });
});
