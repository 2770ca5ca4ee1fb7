/**
 * Typed reading of one UCI section's options, collecting every error (with file, line and option
 * name) instead of stopping at the first, so the owner fixes the whole file in one go.
 */
import type { UciSection } from './uci.js';

export class ConfigErrors {
  readonly messages: string[] = [];
  constructor(readonly file: string) {}
  add(line: number | null, option: string | null, message: string): void {
    const where = line === null ? this.file : `${this.file}:${line}`;
    this.messages.push(`${where}: ${option ? `option '${option}': ` : ''}${message}`);
  }
  /** An error in a command-line flag. */
  flag(name: string, message: string): void {
    this.messages.push(`command line: ${name}: ${message}`);
  }
}

/** Reads options of one section; unknown options are errors (a typo must not pass silently). */
export function optionReader(section: UciSection | null, errors: ConfigErrors, known: string[]) {
  if (section) {
    for (const [key, opt] of section.options) {
      if (!known.includes(key)) errors.add(opt.line, key, `unknown option in 'config ${section.type}' (known: ${known.join(', ')})`);
    }
  }
  const get = (key: string) => section?.options.get(key);
  return {
    string(key: string): string | undefined {
      const o = get(key);
      if (!o) return undefined;
      if (o.isList) errors.add(o.line, key, "is a single value: use 'option', not 'list'");
      return o.values[o.values.length - 1];
    },
    list(key: string): string[] | undefined {
      const o = get(key);
      return o ? o.values : undefined;
    },
    int(key: string, min: number, max: number): number | undefined {
      const o = get(key);
      if (!o) return undefined;
      const v = o.values[o.values.length - 1];
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < min || n > max) {
        errors.add(o.line, key, `'${v}' must be a whole number from ${min} to ${max}`);
        return undefined;
      }
      return n;
    },
    bool(key: string): boolean | undefined {
      const o = get(key);
      if (!o) return undefined;
      const v = o.values[o.values.length - 1].toLowerCase();
      if (['1', 'yes', 'on', 'true', 'enabled'].includes(v)) return true;
      if (['0', 'no', 'off', 'false', 'disabled'].includes(v)) return false;
      errors.add(o.line, key, `'${v}' must be 0 or 1`);
      return undefined;
    },
    /** Line of an option (or of the section) for errors found later. */
    line(key: string): number | null {
      return get(key)?.line ?? section?.line ?? null;
    },
  };
}

export type OptionReader = ReturnType<typeof optionReader>;
