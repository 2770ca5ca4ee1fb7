/**
 * The safe subset of regular expressions for custom rules. JavaScript cannot time-limit a match,
 * so a pattern that could backtrack for seconds on a 253-character name is refused when the rule
 * is compiled, with a message naming the construct: backreferences, lookaround, nested
 * quantifiers, alternation inside a repeated group, bounds above 253, patterns over 256
 * characters, and too many open-ended repeats (measured in Node on a 253-character name:
 * `.*.*!` 11 ms, `.*.*.*!` 0.7 s, `.*.*.*.*!` 39 s).
 */

const MAX_NAME = 253; // the longest name a pattern is matched against
const MAX_PATTERN = 256;
const MAX_BOUND = 253;
const LOG_N = Math.log2(MAX_NAME);
const MAX_COST = 3 * LOG_N + 1e-9; // log2 of 253³ backtracking steps

/** What the scanner knows of the group being read. */
interface Frame {
  hasQuantifier: boolean;
  hasAlternation: boolean;
}
type Atom = 'none' | 'simple' | Frame;

const LOOKAROUND = ['(?<=', '(?<!', '(?=', '(?!'];

/** Checks a pattern against the safe subset; a string is the problem. */
export function checkRegex(p: string): string | undefined {
  if (p === '') return 'empty regular expression';
  if (p.length > MAX_PATTERN) return `regular expression is longer than ${MAX_PATTERN} characters`;
  const stack: Frame[] = [{ hasQuantifier: false, hasAlternation: false }];
  let atom: Atom = 'none';
  let cost = p.startsWith('^') ? 0 : LOG_N; // unanchored: tried at every start position
  for (let i = 0; i < p.length; ) {
    const c = p[i];
    const top = stack[stack.length - 1];
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) return 'regular expression ends with a lone "\\"';
      if (n >= '1' && n <= '9') return `backreference "\\${n}" is not allowed`;
      if (n === 'k' && p[i + 2] === '<') return 'backreference "\\k<...>" is not allowed';
      atom = 'simple';
      i += 2;
    } else if (c === '[') {
      let j = p[i + 1] === '^' ? i + 2 : i + 1;
      while (j < p.length && p[j] !== ']') j += p[j] === '\\' ? 2 : 1;
      if (j >= p.length) return 'unterminated character class "["';
      atom = 'simple';
      i = j + 1;
    } else if (c === '(') {
      const look = LOOKAROUND.find((l) => p.startsWith(l, i));
      if (look) return `lookaround "${look}" is not allowed`;
      const named = /^\(\?<[A-Za-z_$][\w$]*>/.exec(p.slice(i));
      if (p[i + 1] === '?' && !named && p[i + 2] !== ':') return `unsupported group "${p.slice(i, i + 3)}"`;
      stack.push({ hasQuantifier: false, hasAlternation: false });
      atom = 'none';
      i += named ? named[0].length : p[i + 1] === '?' ? 3 : 1;
    } else if (c === ')') {
      if (stack.length === 1) return 'unmatched ")"';
      const group = stack.pop() as Frame;
      const parent = stack[stack.length - 1];
      parent.hasQuantifier ||= group.hasQuantifier;
      parent.hasAlternation ||= group.hasAlternation;
      atom = group;
      i++;
    } else if (c === '|') {
      top.hasAlternation = true;
      atom = 'none';
      i++;
    } else if (c === '^' || c === '$') {
      atom = 'none';
      i++;
    } else {
      const q = readQuantifier(p, i);
      if (!q) {
        atom = 'simple';
        i++;
        continue;
      }
      const shown = p.slice(i, i + q.length);
      if (atom === 'none') return `quantifier "${shown}" has nothing to repeat`;
      if (q.min > MAX_BOUND || (q.max > MAX_BOUND && q.max !== Infinity)) return `repeat bound in "${shown}" is above ${MAX_BOUND}`;
      if (typeof atom === 'object' && q.max > 1) {
        if (atom.hasQuantifier) return 'nested quantifier (a quantified group contains a quantifier) can take exponential time';
        if (atom.hasAlternation) return 'alternation inside a repeated group (like "(a|ab)*") can take exponential time';
      }
      cost += Math.log2(Math.min(q.max - q.min + 1, MAX_NAME));
      if (cost > MAX_COST) return 'too many repeats (*, +, ?, {m,n}) in one pattern: matching could take seconds';
      top.hasQuantifier = true;
      atom = 'none';
      i += q.length + (p[i + q.length] === '?' ? 1 : 0); // a lazy `?` changes order, not cost
    }
  }
  if (stack.length > 1) return 'unterminated group "("';
  return undefined;
}

/** The quantifier at p[i], if any. A `{` that is not `{m}`, `{m,}` or `{m,n}` is a literal (Annex B). */
function readQuantifier(p: string, i: number): { min: number; max: number; length: number } | undefined {
  const c = p[i];
  if (c === '*') return { min: 0, max: Infinity, length: 1 };
  if (c === '+') return { min: 1, max: Infinity, length: 1 };
  if (c === '?') return { min: 0, max: 1, length: 1 };
  if (c !== '{') return undefined;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
  return { min, max, length: m[0].length };
}
