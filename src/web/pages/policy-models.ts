/**
 * Props of the policy editors: a device's own layer (device page) and the groups page. Plain data
 * built by routes/policy-views.ts from the policy admin and the device registry; as everywhere,
 * names may hold anything a client or the owner typed.
 */
import type { EffectiveView } from '../../policy/policy-admin.js';
import type { PolicySpec, Schedule } from '../../policy/policy-doc.js';

export type { EffectiveView };

/** A catalog as an editor offers it: its sensitive entries carry the trade-off of blocking them. */
export interface CatalogChoice {
  id: string;
  name: string;
  sensitive: { pattern: string; note: string }[];
}

/** One layer being edited: where it is saved and what the layers above it give. */
export interface LayerEditor {
  /** PUT target: /api/devices/:id/policy or /api/groups/:id. */
  api: string;
  /** A group's name: its PUT body is `{ name, spec }`; absent for a device (the body is the spec). */
  groupName?: string;
  /** The layer as stored; fields left out inherit. */
  spec: PolicySpec;
  /** What the layers above give ("as the household" shows these values). */
  inherited: EffectiveView;
  /** "household" or "group Kids": what the inherit choice is called. */
  inheritLabel: string;
  catalogs: CatalogChoice[];
  /** Catalog ids shown first and open (a device's suggested catalogs); the rest fold away. */
  first: string[];
}

/** The device page's policy section. Absent from the page when there is no policy engine. */
export interface DevicePolicyProps {
  device: string;
  /** The device's group id, or null (the household default). */
  group: string | null;
  groups: { id: string; name: string }[];
  /** Until when the device's own pause runs; the household's pause, if later, is `householdPausedUntil`. */
  pausedUntil: number | null;
  householdPausedUntil: number | null;
  /** What the device gets now, this layer included. */
  effective: EffectiveView;
  editor: LayerEditor;
}

/** A group on the groups page. */
export interface GroupView {
  id: string;
  name: string;
  members: { id: string; name: string }[];
  schedules: Schedule[];
  /** Ids of its schedules running now. */
  running: string[];
  editor: LayerEditor;
}

/** The groups page. `groups` undefined: no policy engine here. */
export interface GroupsProps {
  now: number;
  groups?: GroupView[];
}
