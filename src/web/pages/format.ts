/**
 * Small pure formatters the views share. No markup here: each returns plain text (or undefined),
 * which the JSX then escapes.
 */

/** "just now", "5 min ago", "3 h ago", "2 days ago"; a time in the future (clock skew) is "just now". */
export function ago(now: number, then: number): string {
  const s = Math.max(0, Math.round((now - then) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  const days = Math.floor(s / 86_400);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

/** ISO 8601 for a `<time datetime>` attribute, or undefined for a time that is not one. */
export function isoTime(t: number): string | undefined {
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}

/** 1234 → "1,234"; 1234567 → "1.2M". Fixed locale so pages do not depend on the router's. */
export function count(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (Math.abs(n) >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  return Math.round(n).toLocaleString('en-US');
}

/**
 * The href to render, or undefined. Only same-origin paths ("/x", not "//x") and, when allowed,
 * http(s) URLs: a "javascript:" link from stored data would run on click if the CSP ever loosened.
 */
export function safeHref(href: string | undefined, allowExternal = false): string | undefined {
  if (!href) return undefined;
  if (/^\/(?![/\\])/.test(href)) return href;
  return allowExternal && /^https?:\/\/[^\s]+$/i.test(href) ? href : undefined;
}

/** The page URL of a device; ids hold ':' and could hold anything, so they are percent-encoded. */
export function deviceHref(id: string): string {
  return `/devices/${encodeURIComponent(id)}`;
}

/**
 * A local path to return to after login, or "/": only "/x" paths, so `?next=` cannot send the
 * owner to another site (an open redirect).
 */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/';
}

/**
 * A rule id for "block/allow NAME for DEVICE" buttons: a readable slug plus an FNV-1a hash of
 * device and name, so the same button always writes the same rule (pressing it twice changes
 * nothing) and ids stay within the policy's 40-character slug. assets/admin.js has the same
 * function for rows the live tail adds; test/web/pages/format.test.ts checks they agree.
 */
export function ruleId(prefix: 'b' | 'a', device: string, name: string): string {
  let h = 0x811c9dc5;
  const s = `${device} ${name}`;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+/, '').slice(0, 24).replace(/-+$/, '');
  return `${prefix}-${slug ? `${slug}-` : ''}${h.toString(36)}`;
}

/** "14:03:27" (the router's local time); with the date in front when not today. */
export function clockTime(now: number, t: number): string {
  const d = new Date(t);
  const time = d.toTimeString().slice(0, 8);
  return new Date(now).toDateString() === d.toDateString() ? time : `${d.toISOString().slice(0, 10)} ${time}`;
}
