/**
 * A reader for OpenWrt's UCI configuration syntax (the format of /etc/config/*):
 *
 *     config <type> ['<name>']
 *         option <key> '<value>'
 *         list <key> '<value>'
 *
 * Values may be single-quoted, double-quoted or bare; `#` starts a comment outside quotes.
 * Every option remembers its line so errors can name file, line and option.
 */

export interface UciOption {
  /** Values in order: one for `option`, one per line for `list`. */
  values: string[];
  isList: boolean;
  line: number;
}

export interface UciSection {
  type: string;
  name: string | null;
  line: number;
  options: Map<string, UciOption>;
}

export class UciSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** Parses UCI text; throws UciSyntaxError with the line of the first syntax error. */
export function parseUci(text: string): UciSection[] {
  const sections: UciSection[] = [];
  let current: UciSection | null = null;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const words = tokenize(lines[i], lineNo);
    if (words.length === 0) continue;
    const [keyword, ...args] = words;
    if (keyword === 'config') {
      if (args.length < 1 || args.length > 2) throw new UciSyntaxError(lineNo, "expected: config <type> ['<name>']");
      current = { type: args[0], name: args[1] ?? null, line: lineNo, options: new Map() };
      sections.push(current);
    } else if (keyword === 'option' || keyword === 'list') {
      if (current === null) throw new UciSyntaxError(lineNo, `'${keyword}' before any 'config' line`);
      if (args.length !== 2) throw new UciSyntaxError(lineNo, `expected: ${keyword} <name> '<value>'`);
      const [key, value] = args;
      if (!/^[A-Za-z0-9_]+$/.test(key)) throw new UciSyntaxError(lineNo, `'${key}' is not a valid option name`);
      const isList = keyword === 'list';
      const existing = current.options.get(key);
      if (isList && existing?.isList) existing.values.push(value);
      else current.options.set(key, { values: [value], isList, line: lineNo });
    } else if (keyword === 'package') {
      continue; // uci export writes it; it names the file, which we already know
    } else {
      throw new UciSyntaxError(lineNo, `unknown keyword '${keyword}' (expected config, option or list)`);
    }
  }
  return sections;
}

function tokenize(line: string, lineNo: number): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '#') {
      break;
    } else {
      // One word is quoted and bare pieces glued together, as sh reads them: `uci export` writes
      // an apostrophe as 'it'\''s'.
      let word = '';
      while (i < line.length && line[i] !== ' ' && line[i] !== '\t') {
        const q = line[i];
        if (q === "'" || q === '"') {
          const end = line.indexOf(q, i + 1);
          if (end < 0) throw new UciSyntaxError(lineNo, `unterminated ${q === "'" ? 'single' : 'double'} quote`);
          word += line.slice(i + 1, end);
          i = end + 1;
        } else if (q === '\\' && i + 1 < line.length) {
          word += line[i + 1];
          i += 2;
        } else if (q === '#' && word === '') {
          break;
        } else {
          word += q;
          i++;
        }
      }
      if (word === '' && line[i] === '#') break;
      words.push(word);
    }
  }
  return words;
}
