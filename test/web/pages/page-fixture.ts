/**
 * Shared set-up for the page tests: an app with a device registry holding a device whose DHCP
 * name is hostile markup, checks that a rendered page is safe under the CSP, and reading a form's
 * attributes as admin.js does.
 */
import { expect } from 'vitest';
import { createRegistry, type Registry } from '../../../src/devices/registry.js';
import type { AdminDeps } from '../../../src/web/app.js';
import { login, makeWorld, type World } from '../fixture.js';

export const MAC = '64:09:80:3a:4b:5c';
export const PRIVATE_MAC = '02:00:5e:10:00:11';
/** What a hostile DHCP client calls itself. */
export const HOSTILE = '<script>alert(1)</script>';
/** Breaks out of an attribute if quotes are not escaped. */
export const ATTR_BREAKER = '"><img src=x onerror=alert(2)>';

/** A world with two devices (one hostile-named, one private) and, with a password, a session cookie. */
export async function pageWorld(options: { hasPassword?: boolean; deps?: Partial<AdminDeps> } = {}): Promise<{ world: World; devices: Registry; cookie: string }> {
  const devices = createRegistry({
    flash: null,
    vendorOf: (mac) => (mac.startsWith('02:') ? { vendor: null, isPrivate: true } : { vendor: 'Xiaomi', isPrivate: false }),
    suggest: () => ['xiaomi'],
  });
  devices.seen(MAC, MAC, '192.168.1.20', Date.UTC(2025, 0, 1) - 300_000);
  devices.seen(PRIVATE_MAC, PRIVATE_MAC, '192.168.1.21', Date.UTC(2025, 0, 1) - 60_000);
  devices.setDhcpNames(new Map([[MAC, HOSTILE]]));
  const world = await makeWorld({ hasPassword: options.hasPassword, deps: { devices, ...options.deps } });
  const cookie = options.hasPassword === false ? '' : await login(world);
  return { world, devices, cookie };
}

/** GETs a page as the signed-in browser. */
export function getPage(world: World, path: string, cookie: string): Promise<Response> {
  return Promise.resolve(world.app.request(path, { headers: cookie ? { cookie } : {} }));
}

/**
 * Asserts what the CSP needs from a page: no inline script, no inline handler, no inline style,
 * scripts only from our own origin; and that the CSP header itself is there and strict.
 */
export function expectCspSafe(res: Response, html: string): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toMatch(/ src="\/assets\/admin\.js\?v=[0-9a-f]{12}"/);
  expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);
  expect(html).not.toMatch(/<style\b/i);
  // Attribute names of every real tag (escaped text holds no '<'), quoted values blanked out.
  for (const tag of html.match(/<[a-z][^<>]*>/gi) ?? []) {
    const names = tag.replace(/"[^"]*"/g, '""');
    expect(names, tag).not.toMatch(/\s(on[a-z]+|style)\s*=/i);
  }
}

/** GETs `path` from a world with a session, expects a 200 and a CSP-safe page, and returns its HTML. */
export async function safePage(w: { get(path: string): Promise<Response> }, path: string): Promise<string> {
  const res = await w.get(path);
  const html = await res.text();
  expect(res.status).toBe(200);
  expectCspSafe(res, html);
  return html;
}

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Attribute `name` of a start tag (or of the text from one), unescaped as the browser reads it; '' if absent. */
export function attrOf(tag: string, name: string): string {
  return unescape(new RegExp(` ${name}="([^"]*)"`).exec(tag)?.[1] ?? '');
}

/** Every start tag of a page, by name: `tags(html, 'img')`. */
export function tags(html: string, name: string): string[] {
  return html.match(new RegExp(`<${name}\\b[^<>]*>`, 'gi')) ?? [];
}

/** A view's HTML: JSX output turned into its string. */
export async function render(node: unknown): Promise<string> {
  return String(await (node as { toString(): string | Promise<string> }).toString());
}
