/**
 * JSON request bodies: parse, check against a small field schema, and answer 400/415 in the shared
 * error shape. Returns an outcome, not an exception, so a route reads top to bottom:
 *
 * @example
 * const body = await readJson(c, { name: { type: 'string', minLength: 1, maxLength: 64 } });
 * if (!body.ok) return body.response;
 * body.value.name; // string
 */
import type { Context } from 'hono';
import { apiError } from './errors.js';

/** One field's rule. Unknown fields are refused, so a client's typo is an error, not a silent no-op. */
export type FieldRule =
  | { type: 'string'; optional?: boolean; minLength?: number; maxLength?: number; pattern?: RegExp }
  | { type: 'number'; optional?: boolean; integer?: boolean; min?: number; max?: number }
  | { type: 'boolean'; optional?: boolean };

/** Field name → rule. */
export type BodySchema = Record<string, FieldRule>;

type ValueOf<R extends FieldRule> = R extends { type: 'string' } ? string : R extends { type: 'number' } ? number : boolean;

/** The typed body a schema describes. */
export type BodyOf<S extends BodySchema> = {
  [K in keyof S as S[K] extends { optional: true } ? never : K]: ValueOf<S[K]>;
} & {
  [K in keyof S as S[K] extends { optional: true } ? K : never]?: ValueOf<S[K]>;
};

/** What readJson returns: the value, or the error response to send. */
export type BodyResult<T> = { ok: true; value: T } | { ok: false; response: Response };

/** A schema violation: the field (dotted path) and what is wrong with it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Reads and checks a JSON body. Content-Type must be application/json: a browser cannot send that
 * cross-site without a CORS preflight (which we never grant), so a forged HTML form cannot reach a route.
 */
export async function readJson<const S extends BodySchema>(c: Context, schema: S): Promise<BodyResult<BodyOf<S>>> {
  const body = await readJsonValue(c);
  if (!body.ok) return body;
  const problem = checkBody(body.value, schema);
  if (problem) {
    return { ok: false, response: apiError(c, 400, 'bad_request', `${problem.field}: ${problem.message}`, problem) };
  }
  return { ok: true, value: body.value as BodyOf<S> };
}

/**
 * Reads a JSON body of any shape (nested policy specs), for routes whose domain module checks it
 * in full and names the bad field itself. The content-type rule above applies (readJson calls this).
 */
export async function readJsonValue(c: Context): Promise<BodyResult<unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    return { ok: false, response: apiError(c, 415, 'bad_content_type', 'Send the body as Content-Type: application/json') };
  }
  try {
    return { ok: true, value: JSON.parse(await c.req.text()) as unknown };
  } catch {
    return { ok: false, response: apiError(c, 400, 'bad_json', 'The body is not valid JSON') };
  }
}

/** Checks a parsed body against a schema; returns the first problem or undefined. No Hono here. */
export function checkBody(body: unknown, schema: BodySchema): FieldProblem | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { field: '(body)', message: 'must be a JSON object' };
  }
  const record = body as Record<string, unknown>;
  for (const field of Object.keys(record)) {
    if (!Object.hasOwn(schema, field)) return { field, message: 'is not a known field' };
  }
  for (const [field, rule] of Object.entries(schema)) {
    const value = record[field];
    if (value === undefined) {
      if (!rule.optional) return { field, message: 'is required' };
      continue;
    }
    const message = checkValue(value, rule);
    if (message) return { field, message };
  }
  return undefined;
}

function checkValue(value: unknown, rule: FieldRule): string | undefined {
  if (rule.type === 'string') {
    if (typeof value !== 'string') return 'must be a string';
    if (rule.minLength !== undefined && value.length < rule.minLength) return `must be at least ${rule.minLength} characters`;
    if (rule.maxLength !== undefined && value.length > rule.maxLength) return `must be at most ${rule.maxLength} characters`;
    if (rule.pattern && !rule.pattern.test(value)) return `must match ${rule.pattern}`;
    return undefined;
  }
  if (rule.type === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
    if (rule.integer && !Number.isInteger(value)) return 'must be an integer';
    if (rule.min !== undefined && value < rule.min) return `must be >= ${rule.min}`;
    if (rule.max !== undefined && value > rule.max) return `must be <= ${rule.max}`;
    return undefined;
  }
  return typeof value === 'boolean' ? undefined : 'must be true or false';
}
