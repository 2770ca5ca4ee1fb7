/**
 * The page frame: head (our stylesheet and script, nothing inline), the navigation of a signed-in
 * admin, and a bare frame for the login and setup pages. Every page renders inside one of these.
 */
import type { Child } from 'hono/jsx';
import { assetUrl, SCRIPT, STYLESHEET } from './assets.js';

/** The navigation, in order; page-routes.tsx puts the session check on each href. */
export const NAV = [
  { href: '/', label: 'Dashboard' },
  { href: '/devices', label: 'Devices' },
  { href: '/groups', label: 'Groups' },
  { href: '/queries', label: 'Query log' },
  { href: '/lists', label: 'Lists & catalogs' },
  { href: '/rules', label: 'Rules' },
  { href: '/geo', label: 'Geo policy' },
  { href: '/settings', label: 'Settings' },
  { href: '/backup', label: 'Backup' },
] as const;

/** The href of a navigation entry. */
export type NavHref = (typeof NAV)[number]['href'];

function Head(props: { title: string }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="light dark" />
      <title>{`${props.title} · telemute`}</title>
      {/* data:, stops the browser asking for /favicon.ico (a 404 on every page) */}
      <link rel="icon" href="data:," />
      <link rel="stylesheet" href={assetUrl(STYLESHEET)} />
      <script src={assetUrl(SCRIPT)} defer></script>
    </head>
  );
}

const NEEDS_JS = 'Changes are sent by this page’s script: enable JavaScript for this site to use the forms.';

/** The page's content after the note that the forms need the script. */
function Main(props: { class?: string; children?: Child }) {
  return (
    <main id="main" class={props.class}>
      <noscript>
        <p class="card">{NEEDS_JS}</p>
      </noscript>
      {props.children}
    </main>
  );
}

/** A signed-in page: header with navigation and a logout button, then the content. */
export function Layout(props: { title: string; active?: NavHref; children?: Child }) {
  return (
    <html lang="en">
      <Head title={props.title} />
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <div class="top-inner">
            <a class="brand" href="/">
              telemute
            </a>
            <nav aria-label="Main">
              <ul class="nav">
                {NAV.map((item) => (
                  <li>
                    <a href={item.href} aria-current={item.href === props.active ? 'page' : undefined}>
                      {item.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <form data-api="/api/logout" data-then="go:/login">
              <button type="submit" class="secondary small">
                Log out
              </button>
              <span role="alert"></span>
            </form>
          </div>
        </header>
        <Main>{props.children}</Main>
      </body>
    </html>
  );
}

/** The end of the login and setup forms: where the API's error is read out, and the submit button. */
export function BareFormEnd(props: { submit: string }) {
  return (
    <>
      <p role="alert" aria-live="assertive"></p>
      <div class="actions">
        <button type="submit">{props.submit}</button>
      </div>
    </>
  );
}

/** The frame of the login and setup pages: no navigation, one narrow card. */
export function BareLayout(props: { title: string; children?: Child }) {
  return (
    <html lang="en">
      <Head title={props.title} />
      <body>
        <Main class="narrow">{props.children}</Main>
      </body>
    </html>
  );
}
