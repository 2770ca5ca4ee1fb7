/**
 * The data each page is drawn from: plain objects, no Hono, no registry. Routes build them from
 * devices, stats, policy and geo; the views only read them. Every string may hold anything a
 * client sent (a DHCP hostname, a queried name): the views escape, callers must not.
 */
import type { DevicePolicyProps } from './policy-models.js';

/** A device as the list and detail pages show it. `Device` from devices/registry.ts plus its display name fits. */
export interface DeviceSummary {
  /** MAC, 'router' or 'ip:ADDRESS'; used in URLs (percent-encoded by the view). */
  id: string;
  displayName: string;
  /** The owner's name, if set (pre-fills the rename box). */
  name: string | null;
  dhcpName: string | null;
  vendor: string | null;
  mac: string | null;
  /** Randomised ("private") MAC: the vendor is unknowable. */
  isPrivate: boolean;
  /** Newest first. */
  ips: string[];
  /** Epoch ms. */
  firstSeen: number;
  lastSeen: number;
  /** Policy or group name; null = the default policy. */
  policy: string | null;
  /** Suggested vendor catalogs (hints). */
  suggested: string[];
}

/** What a destination's queries came to. */
export type Action = 'allowed' | 'blocked';

/** One row of "what this device talks to": a registrable domain (eTLD+1) and what is known about it. */
export interface DestinationRow {
  /** Registrable domain, e.g. example.org. */
  domain: string;
  /** Vendor or catalog the domain belongs to (e.g. "Xiaomi telemetry"). */
  catalog?: string | null;
  /** ISO 3166-1 alpha-2 code of the answer's addresses, e.g. "DE". */
  country?: string | null;
  /** Network that announces the addresses, e.g. "AS64496 Example Net". */
  network?: string | null;
  /** Registrant organisation from RDAP. */
  registrant?: string | null;
  action: Action;
  /** Why: the rule, list or policy that decided, e.g. "list: easyprivacy". */
  reason?: string | null;
  queries: number;
  /** Epoch ms of the last query. */
  lastSeen?: number;
}

/** A recently blocked name, offered for a temporary allow. */
export interface BlockedName {
  /** The full queried name. */
  name: string;
  /** Epoch ms of the last block. */
  at: number;
  count: number;
  reason?: string | null;
}

/** A link to a phone-home report. `href` is shown only if it is a local path or http(s) URL. */
export interface ReportLink {
  label: string;
  href: string;
}

/**
 * The device page's action buttons, present when the policy API is: block or allow a registrable
 * domain for this device (a device-scoped rule, PUT /api/rules/:id) and allow a blocked name for
 * an hour (POST /api/allow).
 */
export interface RuleEndpoints {
  /** The device the rules are for. */
  device: string;
}

/** Everything the device detail page shows; the optional parts come from stats, policy and geo. */
export interface DeviceDetailProps {
  device: DeviceSummary;
  /** Epoch ms, for "3 min ago". */
  now: number;
  destinations?: DestinationRow[];
  recentBlocked?: BlockedName[];
  reports?: ReportLink[];
  endpoints?: RuleEndpoints;
  /** The device's policy layer and what it gets in effect; absent without a policy engine. */
  policy?: DevicePolicyProps;
}

/** The devices list. */
export interface DevicesPageProps {
  devices: DeviceSummary[];
  now: number;
}

/** One bar of a time chart: a label (e.g. "14:00") and one value per series, stacked. */
export interface TimePoint {
  label: string;
  values: number[];
}

/** A bar chart over time. */
export interface TimeSeries {
  /** Series names, in stacking order, e.g. ["Allowed", "Blocked"]. */
  names: string[];
  points: TimePoint[];
}

/** One line of a horizontal bar list. `href` is followed only if it is a local path. */
export interface BarItem {
  label: string;
  value: number;
  href?: string;
  /** Small text after the label, e.g. a vendor. */
  note?: string;
}

/** The dashboard. Every part is optional: an empty router shows empty states, not errors. */
export interface DashboardProps {
  now: number;
  totals?: { queries: number; blocked: number; devices: number };
  /** Queries over the last day, by hour. */
  queries?: TimeSeries;
  topBlocked?: BarItem[];
  topDevices?: BarItem[];
  /** Countries the answers pointed to; label = country name, note = ISO code. */
  countries?: BarItem[];
  /** Names the inspection flagged (sensitive catalog entries, geo rules, cloaked CNAMEs). */
  flagged?: BarItem[];
  /** The period shown: the last day by hour (default) or the last week by day. */
  period?: '24h' | '7d';
  /** The household's pause (epoch ms, null: not paused); absent without a policy engine. */
  pause?: { until: number | null };
}
