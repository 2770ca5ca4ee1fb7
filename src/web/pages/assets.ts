/**
 * The pages' static files, compiled into the bundle as text (`?raw`, see raw-text.d.ts), so the
 * router needs no web root and an upgrade replaces them with the code that uses them. Their URLs
 * carry a content hash: browsers may cache them for a year, and a new version is a new URL.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import cssImport from './assets/admin.css?raw';
import js from './assets/admin.js?raw';

/**
 * Vitest empties every .css import, `?raw` included (its `css` option, off by default); the bundle
 * never does. Under vitest, read the file beside this source instead. Adding
 * `css: { include: [/src\/web\/pages\/assets\//] }` to vitest.config.ts would make this moot.
 */
const css = cssImport || readFileSync(new URL('./assets/admin.css', import.meta.url), 'utf8');

/** One static file as served. */
export interface Asset {
  /** URL path without the version query. */
  path: string;
  contentType: string;
  body: string;
  /** First 12 hex digits of the body's SHA-256: the cache-busting version. */
  hash: string;
}

function asset(path: string, contentType: string, body: string): Asset {
  return { path, contentType, body, hash: createHash('sha256').update(body).digest('hex').slice(0, 12) };
}

/** The stylesheet. */
export const STYLESHEET = asset('/assets/admin.css', 'text/css; charset=utf-8', css);
/** The progressive script (fetch-based form submission with the CSRF header). */
export const SCRIPT = asset('/assets/admin.js', 'text/javascript; charset=utf-8', js);
/** Every asset, for the route that serves them. */
export const ASSETS: readonly Asset[] = [STYLESHEET, SCRIPT];

/** The versioned URL to put in a page. */
export function assetUrl(a: Asset): string {
  return `${a.path}?v=${a.hash}`;
}
