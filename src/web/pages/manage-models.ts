/**
 * Props of the pages that manage telemute (query log, lists, rules, geo, settings, backup, the
 * printable report). Plain data built by routes/manage-page-routes.tsx from stats, the policy
 * admin and the settings; as in view-models.ts, every string may hold anything a client sent.
 */
import type { CatalogMode, GeoRule, ListMode, PolicySpec, Rule, SensitiveMode } from '../../policy/policy-doc.js';
import type { Report } from '../../stats/report.js';
import type { LogEntry } from '../../stats/types.js';

/** A device as a select option or a label: id and the name to show. */
export interface DeviceName {
  id: string;
  name: string;
}

/** The query-log page. `entries` undefined: no query log in this instance. */
export interface QueryLogProps {
  now: number;
  /** The filter as typed (the form's values), already checked unless `error` is set. */
  filter: Record<string, string>;
  error?: string;
  entries?: LogEntry[];
  /** Cursor of the next (older) page, or null at the end. */
  next: string | null;
  devices: DeviceName[];
  /** The policy API exists: show "allow for 1 h" and "block" per row. */
  canChange: boolean;
}

/** One catalog as the lists page shows it. */
export interface CatalogView {
  id: string;
  name: string;
  description: string;
  counts: { telemetry: number; sensitive: number; functional: number };
  /** Sensitive entries with the trade-off of blocking each. */
  sensitive: { pattern: string; note: string }[];
  /** What the household does with its telemetry, and whether that comes from "every catalog" (`*`). */
  mode: CatalogMode;
  isDefaultMode: boolean;
  sensitiveMode: SensitiveMode;
}

/** A subscribed list with its status (fields from the subscriptions module, when running). */
export interface ListView {
  id: string;
  name: string;
  url: string;
  enabled: boolean;
  updateHours: number;
  mode: ListMode;
  state?: string;
  lastError?: string | null;
  lastChecked?: number | null;
  counts?: Record<string, number> | null;
}

/** The lists & catalogs page. */
export interface ListsProps {
  now: number;
  catalogs: CatalogView[];
  lists: ListView[];
  /** The household spec, the base every toggle edits (PUT /api/policy/household sends it whole). */
  household: PolicySpec;
}

/** The rules page. */
export interface RulesProps {
  rules: Rule[];
  /** Rules that did not compile, by id, with the compiler's message. */
  errors: { id: string; text: string; message: string }[];
  /** Scopes a new rule may take: value ('household', 'group:x', 'device:y') and label. */
  scopes: { value: string; label: string }[];
}

/** One policy layer with geo rules: where its spec is saved and what to send. */
export interface GeoLayer {
  /** "Household", a group's name, a device's name. */
  label: string;
  /** PUT target. */
  api: string;
  /** The body PUT expects, as now (spec, or {name, spec} for a group). */
  base: unknown;
  /** Dotted path of the geo list inside `base` ('geo' or 'spec.geo'). */
  path: string;
  rules: GeoRuleView[];
}

/** A geo rule as the page shows it: the policy's own. */
export type GeoRuleView = GeoRule;

/** The geo policy page. `layers` undefined: no policy engine here. */
export interface GeoProps {
  layers?: GeoLayer[];
  /** Registration lookups (RDAP): on or off, and whether this page may switch them. */
  registration?: { isOn: boolean; canSwitch: boolean };
}

/** One setting: its UCI path, value as text, and the command that changes it. */
export interface SettingRow {
  key: string;
  value: string;
  command: string;
}

/** The settings page. `rows` undefined: settings not passed to the admin (tests, embedding). */
export interface SettingsProps {
  rows?: { section: string; rows: SettingRow[] }[];
}

/** The printable report page. */
export interface ReportProps {
  now: number;
  /** Device name, or "The whole house". */
  title: string;
  /** The device id or 'house', for the JSON and CSV links. */
  id: string;
  report?: Report;
}
