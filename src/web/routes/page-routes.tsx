/**
 * The admin pages: server-rendered HTML over the view functions in ../pages/, and their two static
 * files. Pages only read; every change goes through the JSON API from admin.js, so the API stays
 * the single place that validates and changes state. Outside /api/, so the API guard does not
 * apply: a page checks the session cookie itself and sends strangers to /login (or /setup).
 */
import type { Context, Hono } from 'hono';
import type { Registry } from '../../devices/registry.js';
import type { AdminFile } from '../admin-file.js';
import type { AdminEnv } from '../context.js';
import { hasSession } from '../guard.js';
import { ASSETS } from '../pages/assets.js';
import { DashboardPage } from '../pages/dashboard-page.js';
import { DeviceDetailPage } from '../pages/device-detail-page.js';
import { DevicesPage } from '../pages/devices-page.js';
import { safeNext } from '../pages/format.js';
import { NAV } from '../pages/layout.js';
import { LoginPage } from '../pages/login-page.js';
import { MessagePage } from '../pages/message-page.js';
import { SetupPage } from '../pages/setup-page.js';
import type { DashboardProps, DeviceDetailProps } from '../pages/view-models.js';
import type { Sessions } from '../sessions.js';
import type { SetupCode } from '../setup-code.js';
import { dashboardFromStats, deviceExtrasFromStats } from '../stats-feeds.js';
import { deviceView, newestFirst } from './device-routes.js';
import { managePageRoutes, type ManagePageDeps } from './manage-page-routes.js';
import { devicePolicyProps } from './policy-views.js';
import { render } from './render.js';

/** What the pages need. The optional feeds are filled in as stats, policy and geo land. */
export interface PageRouteDeps extends ManagePageDeps {
  file: AdminFile;
  sessions: Sessions;
  now: () => number;
  setupCode: SetupCode | undefined;
  /** Absent: the devices pages answer "not available". */
  devices?: Registry;
  /** Dashboard data for a period; default: from `stats`, else none (empty states). */
  dashboard?: (period: '24h' | '7d') => Omit<DashboardProps, 'now'>;
  /** The device page's extra sections, by device id; default none. */
  deviceExtras?: (id: string) => Omit<DeviceDetailProps, 'device' | 'now'>;
}

/** A year: asset URLs carry a content hash, so a cached copy is never stale. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Adds the pages and /assets/*. */
export function pageRoutes(app: Hono<AdminEnv>, deps: PageRouteDeps): void {
  const { file, sessions, now } = deps;
  const hasPassword = async () => (await file.read()).password !== undefined;
  const isSignedIn = (c: Context<AdminEnv>) => hasSession(c, { file, sessions });

  for (const a of ASSETS) {
    app.get(a.path, (c) => {
      const etag = `"${a.hash}"`;
      c.header('ETag', etag);
      c.header('Cache-Control', c.req.query('v') === a.hash ? IMMUTABLE : 'no-cache');
      if (c.req.header('if-none-match') === etag) return c.body(null, 304);
      return c.body(a.body, 200, { 'Content-Type': a.contentType });
    });
  }

  app.get('/login', async (c) => {
    if (!(await hasPassword())) return c.redirect('/setup', 303);
    const next = safeNext(c.req.query('next'));
    if (await isSignedIn(c)) return c.redirect(next, 303);
    return render(c, <LoginPage next={next} isJustSetUp={c.req.query('set') === '1'} />);
  });

  app.get('/setup', async (c) => {
    if (await hasPassword()) return c.redirect('/login', 303);
    return render(c, <SetupPage hasCode={deps.setupCode !== undefined} />);
  });

  // Every page below needs a session; without one, the way in (setup first, then login).
  const signedIn = async (c: Context<AdminEnv>, next: () => Promise<void>) => {
    if (await isSignedIn(c)) return next();
    if (!(await hasPassword())) return c.redirect('/setup', 303);
    return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
  };
  const pagePaths = ['/', '/devices', '/devices/*', ...NAV.map((n) => n.href)];
  for (const path of new Set(pagePaths)) app.use(path, signedIn);

  const { stats } = deps;
  const dashboard = deps.dashboard ?? (stats && ((p: '24h' | '7d') => dashboardFromStats(stats, deps.devices, p === '7d', now())));
  const deviceExtras = deps.deviceExtras ?? (stats && ((id: string) => deviceExtrasFromStats(stats, id, deps.policy !== undefined)));
  app.get('/', (c) => {
    const period = c.req.query('period') === '7d' ? '7d' : '24h';
    const admin = deps.policy?.admin;
    const until = admin?.view().pauses.household ?? 0;
    const pause = admin ? { until: until > now() ? until : null } : undefined;
    return render(c, <DashboardPage now={now()} period={period} {...(dashboard?.(period) ?? {})} pause={pause} />);
  });

  app.get('/devices', (c) => {
    if (!deps.devices) return notAvailable(c);
    return render(c, <DevicesPage now={now()} devices={newestFirst(deps.devices).map(deviceView)} />);
  });

  app.get('/devices/:id', (c) => {
    const id = c.req.param('id').toLowerCase();
    const d = deps.devices?.get(id);
    if (!d) return render(c, <MessagePage title="No such device" message={`No device ${id}.`} signedIn />, 404);
    const extras = deviceExtras?.(id) ?? {};
    const policy = deps.policy && devicePolicyProps(deps.policy.admin, deps.devices, id, now());
    return render(c, <DeviceDetailPage now={now()} device={deviceView(d)} {...extras} policy={policy} />);
  });

  managePageRoutes(app, { ...deps, now });

  // The forms carry method="post" so that, without JavaScript, a password never lands in a URL;
  // such a post ends here with an explanation instead of the API's JSON 404.
  app.on('POST', ['/login', '/setup', '/devices', '/devices/:id', ...NAV.slice(2).map((n) => n.href)], async (c) =>
    render(c, <MessagePage title="JavaScript needed" message="This form is sent by the page’s script: enable JavaScript for this site and try again." signedIn={await isSignedIn(c)} />, 400),
  );
}

function notAvailable(c: Context<AdminEnv>): Promise<Response> {
  return render(c, <MessagePage title="Not available" message="Device tracking is not running." signedIn />, 503);
}

