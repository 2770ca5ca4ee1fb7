import { describe, expect, it } from 'vitest';
import { UciSyntaxError, parseUci } from '../../src/config/uci.js';

const opts = (text: string) => parseUci(text).map((s) => ({ type: s.type, name: s.name, line: s.line, options: Object.fromEntries([...s.options].map(([k, o]) => [k, o])) }));

describe('parseUci', () => {
  describe('when the text is valid', () => {
    it.each([
      ["config telemute 'main'\n\toption admin '127.0.0.1:8080'", 'main', 'admin', ['127.0.0.1:8080']],
      ['config telemute "main"\n\toption admin "127.0.0.1:8080"', 'main', 'admin', ['127.0.0.1:8080']],
      ['config telemute main\n\toption admin 127.0.0.1:8080', 'main', 'admin', ['127.0.0.1:8080']],
      ["config telemute\n  option lan_domain 'home lan' # spaces in quotes", null, 'lan_domain', ['home lan']],
      ["config telemute\n  option x 'a # not a comment'", null, 'x', ['a # not a comment']],
      ["config telemute\n  option x \"it's\"", null, 'x', ["it's"]],
      ["config telemute\n  option x ''", null, 'x', ['']],
      ["config telemute\r\n  option x 'crlf'\r\n", null, 'x', ['crlf']],
    ])('reads %j', (text, name, key, values) => {
      const [s] = parseUci(text);
      expect(s.type).toBe('telemute');
      expect(s.name).toBe(name);
      expect(s.options.get(key)!.values).toEqual(values);
      expect(s.options.get(key)!.isList).toBe(false);
    });

    it('skips comments, blank lines and the package line', () => {
      const text = "package telemute\n\n# comment\n   # indented comment\nconfig cache 'cache' # trailing\n\toption size '100'\n";
      expect(opts(text)).toEqual([{ type: 'cache', name: 'cache', line: 5, options: { size: { values: ['100'], isList: false, line: 6 } } }]);
    });

    it('accumulates list values in order, with the line of the first', () => {
      const [s] = parseUci("config telemute\n\tlist upstream '192.0.2.1'\n\tlist upstream '192.0.2.2'\n\tlist upstream 192.0.2.3\n");
      expect(s.options.get('upstream')).toEqual({ values: ['192.0.2.1', '192.0.2.2', '192.0.2.3'], isList: true, line: 2 });
    });

    it('lets a later option replace an earlier one', () => {
      const [s] = parseUci("config telemute\n\toption admin 'a'\n\toption admin 'b'\n");
      expect(s.options.get('admin')).toEqual({ values: ['b'], isList: false, line: 3 });
    });

    it('keeps sections apart and in order', () => {
      const secs = parseUci("config forward\n\toption domain 'example.org'\nconfig forward\n\toption domain 'example.net'\n");
      expect(secs.map((s) => [s.type, s.line, s.options.get('domain')!.values[0]])).toEqual([
        ['forward', 1, 'example.org'],
        ['forward', 3, 'example.net'],
      ]);
    });

    // BUG: uci.ts tokenize() ends a word at a quote, so the quoting `uci export` writes for a value
    // with an apostrophe ('it'\''s', pieces glued together as in sh) is a syntax error.
    it("reads uci export's glued quoting of an apostrophe", () => {
      const [s] = parseUci("config telemute\n\toption x 'it'\\''s'\n");
      expect(s.options.get('x')!.values).toEqual(["it's"]);
    });

    it('reads an empty text as no sections', () => {
      expect(parseUci('')).toEqual([]);
      expect(parseUci('\n# nothing\n')).toEqual([]);
    });
  });

  describe('when the text has a syntax error', () => {
    it.each([
      ["config telemute\n\toption admin '127.0.0.1", 2, /unterminated single quote/],
      ['config telemute\n\n\toption admin "x', 3, /unterminated double quote/],
      ["option admin 'x'\nconfig telemute", 1, /'option' before any 'config' line/],
      ["list upstream 'x'", 1, /'list' before any 'config' line/],
      ["config telemute\n\tsetting admin 'x'", 2, /unknown keyword 'setting'/],
      ['config', 1, /expected: config <type>/],
      ["config a 'b' 'c'", 1, /expected: config <type>/],
      ["config telemute\n\toption admin", 2, /expected: option <name>/],
      ["config telemute\n\toption admin 'a' 'b'", 2, /expected: option <name>/],
      ["config telemute\n\toption ad-min 'a'", 2, /not a valid option name/],
    ])('throws UciSyntaxError for %j at line %i', (text, line, message) => {
      let err: unknown;
      try {
        parseUci(text);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UciSyntaxError);
      expect((err as UciSyntaxError).line).toBe(line);
      expect((err as Error).message).toMatch(message);
    });
  });
});
