/**
 * The admin's backup file: the policy document and the owner's names and groups of the devices,
 * as one JSON file. Building it, checking an uploaded one and saying what a restore would change
 * are plain functions here (no Hono); backup-routes.ts only parses and answers. Secrets never go
 * in: no password hash, no API tokens (admin.json stays on the router).
 */
import type { Registry } from '../devices/registry.js';
import type { PolicyAdmin } from '../policy/policy-admin.js';
import type { PolicyDoc } from '../policy/policy-doc.js';
import { checkPolicyDoc } from '../policy/policy-validate.js';

/** The `format` value: a file that lacks it is not ours (a policy.json, someone else's export). */
export const BACKUP_FORMAT = 'telemute-backup';
export const BACKUP_VERSION = 1;

/** A device's owner-given settings. */
export interface BackupDevice {
  id: string;
  name: string | null;
  /** Group (policy) reference. */
  policy: string | null;
}

export interface BackupFile {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  /** ISO 8601, when it was made. */
  date: string;
  policy: PolicyDoc;
  devices: BackupDevice[];
}

/** Added, removed and changed ids of one section. */
export interface SectionChange {
  added: number;
  removed: number;
  changed: number;
}

/** What a restore would do, or why it cannot. */
export interface BackupPreview {
  ok: boolean;
  errors: string[];
  date: string | null;
  changes: {
    household: { changed: boolean };
    groups: SectionChange;
    devicePolicies: SectionChange;
    rules: SectionChange;
    lists: SectionChange;
    /** Devices whose name or group would change; `unknown`: not on this router (skipped). */
    devices: { changed: number; unknown: number };
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The backup of the running state. Pauses and temporary allows are left out: they are minutes or
 * days long, and a restore weeks later should not bring back one that has long ended.
 */
export function makeBackup(admin: PolicyAdmin, devices: Registry | undefined, now: number): BackupFile {
  const { ruleErrors: _errors, ...doc } = admin.view();
  const owned = (devices?.list() ?? []).filter((d) => (d.name !== null || d.policy !== null) && d.mergedInto === null);
  return {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    date: new Date(now).toISOString(),
    policy: { ...(doc as PolicyDoc), pauses: {}, allows: [] },
    devices: owned.map((d) => ({ id: d.id, name: d.name, policy: d.policy })),
  };
}

/** Checks an uploaded file in full: every problem at once (the first 20), each naming its field. */
export function checkBackup(v: unknown, admin: PolicyAdmin): { file: BackupFile; errors: [] } | { file: null; errors: string[] } {
  if (!isObject(v) || v.format !== BACKUP_FORMAT) return { file: null, errors: [`format: not a telemute backup (expected "format": "${BACKUP_FORMAT}")`] };
  const errors: string[] = [];
  if (v.version !== BACKUP_VERSION) errors.push(`version: ${String(v.version)} is not supported (this telemute reads version ${BACKUP_VERSION})`);
  if (typeof v.date !== 'string' || !Number.isFinite(Date.parse(v.date))) errors.push('date: an ISO 8601 time');
  const known = { catalogs: new Set(admin.catalogs().map((c) => c.id)) };
  const policy = checkPolicyDoc(v.policy, known);
  errors.push(...policy.errors.map((e) => `policy.${e}`));
  if (!Array.isArray(v.devices)) errors.push('devices: must be a list');
  else
    v.devices.forEach((d, i) => {
      const text = (x: unknown) => x === null || (typeof x === 'string' && x.length <= 64 && /^[^\p{Cc}]*$/u.test(x));
      if (!isObject(d) || typeof d.id !== 'string' || d.id.length > 64 || !text(d.name) || !text(d.policy)) errors.push(`devices[${i}]: { id, name, policy } (text up to 64 characters, or null)`);
    });
  return errors.length > 0 ? { file: null, errors: errors.slice(0, 20) } : { file: v as unknown as BackupFile, errors: [] };
}

function diff<T extends { id: string }>(now: readonly T[], next: readonly T[]): SectionChange {
  const before = new Map(now.map((x) => [x.id, JSON.stringify(x)]));
  const after = new Set(next.map((x) => x.id));
  let added = 0;
  let changed = 0;
  for (const x of next) {
    const old = before.get(x.id);
    if (old === undefined) added++;
    else if (old !== JSON.stringify(x)) changed++;
  }
  return { added, removed: now.filter((x) => !after.has(x.id)).length, changed };
}

const entries = (m: Record<string, unknown>) => Object.entries(m).map(([id, spec]) => ({ id, spec }));

/** What restoring `v` would change, or its errors (then nothing would change). */
export function previewBackup(v: unknown, admin: PolicyAdmin, devices: Registry | undefined): BackupPreview {
  const empty = { added: 0, removed: 0, changed: 0 };
  const checked = checkBackup(v, admin);
  if (!checked.file) {
    return { ok: false, errors: checked.errors, date: null, changes: { household: { changed: false }, groups: empty, devicePolicies: empty, rules: empty, lists: empty, devices: { changed: 0, unknown: 0 } } };
  }
  const next = checked.file;
  const now = admin.view();
  let changedDevices = 0;
  let unknown = 0;
  for (const d of next.devices) {
    const known = devices?.get(d.id.toLowerCase());
    if (!known) unknown++;
    else if (known.name !== d.name || known.policy !== d.policy) changedDevices++;
  }
  return {
    ok: true,
    errors: [],
    date: next.date,
    changes: {
      household: { changed: JSON.stringify(now.household) !== JSON.stringify(next.policy.household) },
      groups: diff(now.groups, next.policy.groups),
      devicePolicies: diff(entries(now.devices), entries(next.policy.devices)),
      rules: diff(now.rules, next.policy.rules),
      lists: diff(now.lists, next.policy.lists),
      devices: { changed: changedDevices, unknown },
    },
  };
}

/** Result of a restore: the devices that could not take their settings (not on this router). */
export interface RestoreResult {
  devicesUpdated: number;
  devicesSkipped: string[];
}

/**
 * Applies a checked backup: the policy in one step (the admin's restore validates it against the
 * engine again), then each device's name and group. Devices not on this router are skipped; devices
 * not in the file keep theirs (the router may know devices newer than the backup).
 */
export function applyBackup(file: BackupFile, admin: PolicyAdmin, devices: Registry | undefined): { ok: true; value: RestoreResult } | { ok: false; message: string } {
  const restored = admin.restore(file.policy);
  if (!restored.ok) return { ok: false, message: restored.message };
  const result: RestoreResult = { devicesUpdated: 0, devicesSkipped: [] };
  for (const d of file.devices) {
    const id = d.id.toLowerCase();
    const known = devices?.get(id);
    if (!known) result.devicesSkipped.push(d.id);
    else if (known.name !== d.name || known.policy !== d.policy) {
      const out = devices!.update(id, { name: d.name, policy: d.policy });
      if (typeof out === 'string') result.devicesSkipped.push(d.id);
      else result.devicesUpdated++;
    }
  }
  return { ok: true, value: result };
}
