/**
 * Custom rules typed by the household owner in the admin, in the AdGuard Home / Pi-hole style.
 * Compiled once (compileRules); looked up per query (RuleMatcher.match).
 *
 * Syntax, one rule per string (case-insensitive, surrounding spaces trimmed):
 *   example.org             the name AND its subdomains (kind 'suffix'). This follows AdGuard
 *                           Home, whose domains-only and plain rules cover subdomains; use the
 *                           exact form below for the name alone.
 *   ||example.org^          the name and its subdomains ('suffix'); the `^` may be left out.
 *   *.example.org           the same ('suffix'): a leading `*.` means "and subdomains".
 *   |example.org^           that name only ('exact'); the `^` may be left out.
 *   ads*.example.org        `*` inside a label ('wildcard'): any characters within ONE label,
 *   *-tracker.example.net   never a dot. A lone `*` label needs at least one character. With no
 *                           `|` anchor it also covers subdomains, like a plain name.
 *   /^ad[0-9]+\.example\.org$/   a regular expression ('regex'), safe subset only (below),
 *                           tested with the `i` flag against the lowercase name, no trailing dot.
 *   @@<any of the above>    an allow rule: any matching allow rule beats every block rule.
 * Rule options (`$important`...), hosts lines and comments are not supported.
 *
 * Lookup: exact and suffix rules sit in Maps, found by walking the name's suffixes (O(labels)).
 * Wildcard rules whose last labels are literal (`ads*.example.org` → `example.org`) are filed
 * under that tail and tried only when the walk passes it; the rest, then regexes, are tried in
 * rule order after the Maps. Allow rules are all consulted before any block rule. For the same
 * name, the first rule wins (a duplicate's id is never reported). Wildcards sharing a tail are
 * tried one by one: fine for the hundreds of rules an owner types; thousands belong in a list.
 *
 * Regex safety: JavaScript cannot time-limit a match, so only a subset is accepted, checked by a
 * small scanner: no backreferences, no lookaround, no repeated group holding a quantifier or an
 * alternation (`(a+)+`, `(a|aa)*`: exponential), bounds ≤ 253, pattern ≤ 256 characters, and an
 * estimated backtracking cost ≤ 253³ steps. Measured (Node 20, 253-character name): `.*.*!`
 * takes 11 ms, `.*.*.*!` 0.7 s, `.*.*.*.*!` 39 s, so the cost budget stops at two open repeats
 * in an unanchored pattern (three with a leading `^`).
 */
import { checkRegex } from './regex-safety.js';

/** How a rule matches, for the admin. */
export type RuleKind = 'exact' | 'suffix' | 'wildcard' | 'regex';
/** What a rule does to a matching name. */
export type RuleAction = 'block' | 'allow';
/** A rule as stored: its id and the text the owner typed. */
export interface RuleInput {
  id: string;
  text: string;
}
/** A rule that did not compile, with a message for the owner. */
export interface RuleError extends RuleInput {
  message: string;
}
/** The outcome for a name and the rule that decided it. */
export interface RuleDecision {
  action: RuleAction;
  ruleId: string;
}
/** Compiled rules. */
export interface RuleMatcher {
  /** Decides a lowercase presentation name (no trailing dot); null when no rule matches. */
  match(name: string): RuleDecision | null;
  /** How many rules compiled. */
  size: number;
}
/** A valid rule's kind and action. */
export interface RuleDescription {
  kind: RuleKind;
  isAllow: boolean;
}

type Parsed =
  | { kind: 'exact' | 'suffix'; isAllow: boolean; name: string }
  | { kind: 'wildcard'; isAllow: boolean; re: RegExp; tail: string }
  | { kind: 'regex'; isAllow: boolean; re: RegExp };

interface Table {
  exact: Map<string, string>;
  suffix: Map<string, string>;
  /** Wildcards by literal tail; '' holds those whose last label has a `*`. */
  wildcard: Map<string, { re: RegExp; id: string }[]>;
  regex: { re: RegExp; id: string }[];
}

const MAX_NAME = 253; // RFC 1035 §2.3.4: 255 octets of wire form = 253 presentation characters
const MAX_LABEL = 63; // RFC 1035 §2.3.4

/** Compiles every valid rule; each invalid one gets a message. Never throws. */
export function compileRules(rules: readonly RuleInput[]): { matcher: RuleMatcher; errors: RuleError[] } {
  const allow = emptyTable();
  const block = emptyTable();
  const errors: RuleError[] = [];
  let size = 0;
  for (const { id, text } of rules) {
    const parsed = parseRule(text);
    if (typeof parsed === 'string') {
      errors.push({ id, text, message: `rule "${text}": ${parsed}` });
      continue;
    }
    addRule(parsed.isAllow ? allow : block, parsed, id);
    size++;
  }
  const match = function matchRules(name: string): RuleDecision | null {
    const allowId = lookup(allow, name);
    if (allowId !== undefined) return { action: 'allow', ruleId: allowId };
    const blockId = lookup(block, name);
    return blockId === undefined ? null : { action: 'block', ruleId: blockId };
  };
  return { matcher: { match, size }, errors };
}

/** A rule's kind and action for the admin, or the message saying why it is not valid. */
export function describeRule(text: string): RuleDescription | { message: string } {
  const parsed = parseRule(text);
  if (typeof parsed === 'string') return { message: `rule "${text}": ${parsed}` };
  return { kind: parsed.kind, isAllow: parsed.isAllow };
}

function emptyTable(): Table {
  return { exact: new Map(), suffix: new Map(), wildcard: new Map(), regex: [] };
}

function addRule(t: Table, p: Parsed, id: string): void {
  if (p.kind === 'regex') {
    t.regex.push({ re: p.re, id });
  } else if (p.kind === 'wildcard') {
    const bucket = t.wildcard.get(p.tail);
    if (bucket) bucket.push({ re: p.re, id });
    else t.wildcard.set(p.tail, [{ re: p.re, id }]);
  } else {
    const map = p.kind === 'exact' ? t.exact : t.suffix;
    if (!map.has(p.name)) map.set(p.name, id);
  }
}

/** The id of the first rule of `t` matching `name`: Maps first, then patterns. */
function lookup(t: Table, name: string): string | undefined {
  const exact = t.exact.get(name);
  if (exact !== undefined) return exact;
  for (let i = 0; i !== -1; i = name.indexOf('.', i) + 1 || -1) {
    const id = t.suffix.get(i === 0 ? name : name.slice(i));
    if (id !== undefined) return id;
  }
  if (t.wildcard.size > 0) {
    for (let i = 0; i !== -1; i = name.indexOf('.', i) + 1 || -1) {
      const id = firstMatch(t.wildcard.get(i === 0 ? name : name.slice(i)), name);
      if (id !== undefined) return id;
    }
    const id = firstMatch(t.wildcard.get(''), name);
    if (id !== undefined) return id;
  }
  return firstMatch(t.regex, name);
}

function firstMatch(list: { re: RegExp; id: string }[] | undefined, name: string): string | undefined {
  if (list) for (const r of list) if (r.re.test(name)) return r.id;
  return undefined;
}

/** Parses one rule; a string is the problem. */
function parseRule(raw: string): Parsed | string {
  let text = raw.trim();
  if (text === '') return 'empty rule';
  if (/\s/.test(text)) return 'spaces are not allowed';
  const isAllow = text.startsWith('@@');
  if (isAllow) text = text.slice(2);
  if (text.startsWith('/')) return parseRegex(text, isAllow);
  if (/[^\x00-\x7f]/.test(text)) return 'not a domain (write international names in punycode: xn--...)';
  if (text.includes('$')) return 'rule options after "$" are not supported';
  text = text.toLowerCase();
  let isExact = false;
  if (text.startsWith('||')) text = text.slice(2);
  else if (text.startsWith('|')) {
    isExact = true;
    text = text.slice(1);
  }
  if (text.endsWith('^') || text.endsWith('|')) text = text.slice(0, -1);
  if (text.endsWith('.') && text.length > 1 && !text.endsWith('*.')) text = text.slice(0, -1);
  if (!isExact && text.startsWith('*.')) text = text.slice(2);
  const problem = checkDomain(text);
  if (problem) return problem;
  if (!text.includes('*')) return { kind: isExact ? 'exact' : 'suffix', isAllow, name: text };
  const labels = text.split('.');
  const { body, tailStart } = wildcardParts(labels);
  const re = new RegExp(`${isExact ? '^' : '(?:^|\\.)'}${body}$`);
  return { kind: 'wildcard', isAllow, re, tail: labels.slice(tailStart).join('.') };
}

/**
 * A wildcard name's labels (letters, digits, `-`, `_`, `*`) as a regex body, `*` being any
 * characters within one label (a lone `*` label at least one), never a dot; and where its literal
 * tail starts (the labels after the last one with a `*`). Custom rules and catalogs share it.
 */
export function wildcardParts(labels: readonly string[]): { body: string; tailStart: number } {
  let tailStart = labels.length;
  while (tailStart > 0 && !labels[tailStart - 1].includes('*')) tailStart--;
  const body = labels.map((l) => (l === '*' ? '[^.]+' : l.replace(/\*+/g, '[^.]*'))).join('\\.');
  return { body, tailStart };
}

/** Checks a lowercase name that may hold `*` inside labels; a string is the problem. */
function checkDomain(name: string): string | undefined {
  if (name === '' || name === '.') return 'not a domain';
  const bad = /[^a-z0-9_.*-]/.exec(name);
  if (bad) return `not a domain ("${bad[0]}" is not allowed; use letters, digits, "-", "_", "." and "*")`;
  if (name.length > MAX_NAME) return `not a domain (longer than ${MAX_NAME} characters)`;
  const labels = name.split('.');
  if (labels.some((l) => l === '')) return 'not a domain (empty label: two dots in a row, or a dot at an end)';
  if (labels.some((l) => l.replace(/\*/g, '').length > MAX_LABEL)) return `not a domain (a label is longer than ${MAX_LABEL} characters)`;
  if (labels.every((l) => /^\**$/.test(l))) return 'not a domain (it would match every name)';
  return undefined;
}

function parseRegex(text: string, isAllow: boolean): Parsed | string {
  if (text.length < 2 || !text.endsWith('/')) return 'a regular expression must end with "/"';
  const pattern = text.slice(1, -1);
  const problem = checkRegex(pattern);
  if (problem) return problem;
  try {
    return { kind: 'regex', isAllow, re: new RegExp(pattern, 'i') };
  } catch (err) {
    return `invalid regular expression (${(err as Error).message})`;
  }
}
