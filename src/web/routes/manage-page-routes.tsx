/**
 * The pages that manage telemute: groups, query log, lists & catalogs, rules, geo policy, settings,
 * backup and the printable report. Each reads what stats, the policy admin and the settings hold
 * and hands a view function plain props; changes go through the JSON API from admin.js. The
 * session check is page-routes.tsx's (it covers every NAV path and /devices/*).
 */
import type { Hono } from 'hono';
import type { Settings } from '../../config/settings.js';
import { displayName, type Registry } from '../../devices/registry.js';
import type { PolicySpec } from '../../policy/policy-doc.js';
import type { Stats } from '../../stats/stats.js';
import type { AdminEnv } from '../context.js';
import { isDeviceId } from '../../devices/registry.js';
import { parseLogFilter } from '../log-filter.js';
import { BackupPage } from '../pages/backup-page.js';
import { deviceApi } from '../pages/device-parts.js';
import { GeoPage } from '../pages/geo-page.js';
import { GroupsPage } from '../pages/groups-page.js';
import { ListsPage } from '../pages/lists-page.js';
import type { CatalogView, GeoLayer, GeoRuleView, ListView } from '../pages/manage-models.js';
import { QueryLogPage } from '../pages/query-log-page.js';
import { ReportPage } from '../pages/report-page.js';
import { RulesPage } from '../pages/rules-page.js';
import { SettingsPage } from '../pages/settings-page.js';
import { settingRows } from '../pages/settings-rows.js';
import type { PolicyRouteDeps } from './policy-routes.js';
import { newestFirst } from './device-routes.js';
import { groupViews, sensitiveEntries } from './policy-views.js';
import { render } from './render.js';

/** What these pages read; each part optional (a page then says it is not running). */
export interface ManagePageDeps {
  devices?: Registry;
  stats?: Stats;
  policy?: Omit<PolicyRouteDeps, 'log'>;
  settings?: Settings;
  /** Registration lookups: whether they are on, and whether the owner may switch them here. */
  registration?: { isOn(): boolean; canSwitch: boolean };
}

/** Entries per page of the query log: 100 rows stay well inside the 60 KB page budget. */
const PAGE_ENTRIES = 100;
const FILTER_KEYS = ['device', 'name', 'action', 'country', 'from', 'to', 'cursor'];

const geoOf = (spec: PolicySpec | undefined): GeoRuleView[] => spec?.geo ?? [];

/** Adds the managing pages. */
export function managePageRoutes(app: Hono<AdminEnv>, deps: ManagePageDeps & { now: () => number }): void {
  const { now, stats } = deps;
  const admin = deps.policy?.admin;
  const deviceNames = () => (deps.devices ? newestFirst(deps.devices) : []).map((d) => ({ id: d.id, name: displayName(d) }));

  app.get('/queries', (c) => {
    const raw = Object.fromEntries(FILTER_KEYS.map((k) => [k, c.req.query(k) ?? '']));
    const parsed = parseLogFilter(raw);
    const error = parsed.ok ? undefined : `${parsed.field}: ${parsed.message}`;
    const page = stats && parsed.ok ? stats.query({ ...parsed.filter, limit: PAGE_ENTRIES }) : undefined;
    return render(
      c,
      <QueryLogPage now={now()} filter={raw} error={error} entries={stats ? (page?.entries ?? []) : undefined} next={page?.next ?? null} devices={deviceNames()} canChange={admin !== undefined} />,
      parsed.ok ? 200 : 400,
    );
  });

  app.get('/lists', (c) => {
    const view = admin?.view();
    const household = view?.household ?? {};
    const catalogs: CatalogView[] = (admin?.catalogs() ?? []).map((k) => ({
      id: k.id,
      name: k.name,
      description: k.description,
      counts: k.counts,
      sensitive: sensitiveEntries(k),
      mode: household.catalogs?.[k.id] ?? household.catalogs?.['*'] ?? 'off',
      isDefaultMode: household.catalogs?.[k.id] === undefined,
      sensitiveMode: household.sensitive?.[k.id] ?? household.sensitive?.['*'] ?? 'allow',
    }));
    const statuses = new Map((deps.policy?.lists?.statuses() ?? []).map((s) => [(s as { id: string }).id, s as Partial<ListView>]));
    const lists: ListView[] = (view?.lists ?? []).map((l) => {
      const s = statuses.get(l.id);
      return { ...l, mode: household.lists?.[l.id] ?? household.lists?.['*'] ?? 'off', state: s?.state, lastError: s?.lastError, lastChecked: s?.lastChecked, counts: s?.counts };
    });
    return render(c, <ListsPage now={now()} catalogs={catalogs} lists={lists} household={household} />);
  });

  app.get('/groups', (c) => render(c, <GroupsPage now={now()} groups={admin ? groupViews(admin, deps.devices, now()) : undefined} />));

  app.get('/rules', (c) => {
    const view = admin?.view();
    const scopes = [
      { value: 'household', label: 'Every device' },
      ...(view?.groups ?? []).map((g) => ({ value: `group:${g.id}`, label: `Group: ${g.name}` })),
      ...deviceNames().map((d) => ({ value: `device:${d.id}`, label: `Device: ${d.name}` })),
    ];
    return render(c, <RulesPage rules={view?.rules ?? []} errors={view?.ruleErrors ?? []} scopes={scopes} />);
  });

  app.get('/geo', (c) => {
    const view = admin?.view();
    const registration = deps.registration ? { isOn: deps.registration.isOn(), canSwitch: deps.registration.canSwitch } : undefined;
    if (!view) return render(c, <GeoPage registration={registration} />);
    const layers: GeoLayer[] = [
      { label: 'Household', api: '/api/policy/household', base: view.household, path: 'geo', rules: geoOf(view.household) },
      ...view.groups.map((g) => ({ label: `Group: ${g.name}`, api: `/api/groups/${encodeURIComponent(g.id)}`, base: { name: g.name, spec: g.spec }, path: 'spec.geo', rules: geoOf(g.spec) })),
      ...Object.entries(view.devices).map(([id, spec]) => {
        const d = deps.devices?.get(id);
        return { label: `Device: ${d ? displayName(d) : id}`, api: `${deviceApi(id)}/policy`, base: spec, path: 'geo', rules: geoOf(spec) };
      }),
    ];
    return render(c, <GeoPage layers={layers} registration={registration} />);
  });

  app.get('/settings', (c) => render(c, <SettingsPage rows={deps.settings ? settingRows(deps.settings) : undefined} />));
  app.get('/backup', (c) => render(c, <BackupPage isAvailable={admin !== undefined} />));

  app.get('/devices/:id/report', (c) => {
    const id = c.req.param('id').toLowerCase();
    const d = deps.devices?.get(id);
    const isValid = id === 'house' || isDeviceId(id);
    const title = id === 'house' ? 'the whole house' : d ? displayName(d) : id;
    const report = stats && isValid ? stats.report(id === 'house' ? null : id, 'json') : undefined;
    return render(c, <ReportPage now={now()} title={title} id={id} report={report} />, isValid ? 200 : 404);
  });
}
