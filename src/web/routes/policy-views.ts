/**
 * Builds the policy editors' props (pages/policy-models.ts) from the policy admin and the device
 * registry: what a device's or a group's layer holds, and what the layers above it give, folded
 * by the same code the resolver uses (policy-admin.ts effectiveView).
 */
import { displayName, type Registry } from '../../devices/registry.js';
import type { CatalogEntry } from '../../policy/catalogs.js';
import { effectiveView, type PolicyAdmin } from '../../policy/policy-admin.js';
import { deviceApi } from '../pages/device-parts.js';
import type { CatalogChoice, DevicePolicyProps, GroupView } from '../pages/policy-models.js';

/** A catalog's sensitive entries, each with the trade-off of blocking it. */
export const sensitiveEntries = (k: { entries: readonly CatalogEntry[] }) => k.entries.filter((e) => e.class === 'sensitive').map((e) => ({ pattern: e.pattern, note: e.note }));

const catalogChoices = (admin: PolicyAdmin): CatalogChoice[] => admin.catalogs().map((k) => ({ id: k.id, name: k.name, sensitive: sensitiveEntries(k) }));

/** The device page's policy section, or undefined for an unknown device. */
export function devicePolicyProps(admin: PolicyAdmin, devices: Registry | undefined, id: string, at: number): DevicePolicyProps | undefined {
  const effective = admin.effective(id);
  const inherited = admin.effective(id, true);
  if (!effective.ok || !inherited.ok) return undefined;
  const doc = admin.view();
  const group = doc.groups.find((g) => g.id === effective.value.group);
  const now = effective.value;
  // Expired pauses stay in the document until the engine's next minute tick: not shown.
  const pause = (key: string) => ((doc.pauses[key] ?? 0) > at ? doc.pauses[key] : null);
  return {
    device: id,
    group: now.group,
    groups: doc.groups.map((g) => ({ id: g.id, name: g.name })),
    pausedUntil: pause(id),
    householdPausedUntil: pause('household'),
    effective: now,
    editor: {
      api: `${deviceApi(id)}/policy`,
      spec: doc.devices[id] ?? {},
      inherited: inherited.value,
      inheritLabel: group ? `group ${group.name}` : 'household',
      catalogs: catalogChoices(admin),
      first: devices?.get(id)?.suggested ?? [],
    },
  };
}

/** Every group with its members and editor ("as household" = the household's spec folded alone). */
export function groupViews(admin: PolicyAdmin, devices: Registry | undefined, now: number): GroupView[] {
  const doc = admin.view();
  const catalogs = catalogChoices(admin);
  const household = effectiveView([doc.household], doc, catalogs.map((c) => c.id), now);
  const all = devices?.list() ?? [];
  return doc.groups.map((g) => {
    const members = all.filter((d) => d.policy === g.id);
    // The members' suggested catalogs come first: a "TVs" group shows Samsung and LG on top.
    const first = [...new Set(members.flatMap((d) => d.suggested))];
    return {
      id: g.id,
      name: g.name,
      members: members.map((d) => ({ id: d.id, name: displayName(d) })),
      schedules: g.spec.schedules ?? [],
      running: effectiveView([g.spec], doc, [], now).schedules,
      editor: { api: `/api/groups/${encodeURIComponent(g.id)}`, groupName: g.name, spec: g.spec, inherited: household, inheritLabel: 'household', catalogs, first },
    };
  });
}
