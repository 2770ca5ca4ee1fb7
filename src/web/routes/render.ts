/**
 * Renders a page: the HTML5 doctype, never cached (pages show per-device data). Shared by the page
 * route files.
 */
import type { Context } from 'hono';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Answers with a rendered JSX page. */
export async function render(c: Context, page: HtmlEscapedString | Promise<HtmlEscapedString>, status: ContentfulStatusCode = 200): Promise<Response> {
  c.header('Cache-Control', 'no-store');
  // A JSX node renders through toString(), which is async when a component is; awaiting covers both.
  const html = await (await page).toString();
  // The doctype is a constant; everything else is JSX output, escaped as it was built.
  return c.html(`<!doctype html>${html}`, status);
}
