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
