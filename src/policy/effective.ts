/**
 * A device's effective policy: its layers (household → group → device, each followed by its
 * schedules that are on now) folded into flat per-catalog and per-list modes. Computed when the
 * document, the device's group or the set of running schedules changes — never per query.
 */
import type { GeoRule, PolicySpec, Schedule } from './policy-doc.js';

/** Modes as numbers so the query path indexes arrays instead of hashing strings. */
export const OFF = 0;
export const BLOCK = 1;
export const OBSERVE = 2;
/** Sensitive catalog entries. */
export const S_ALLOW = 0;
export const S_FLAG = 1;
export const S_BLOCK = 2;

export interface EffectivePolicy {
  /** Per catalog index: OFF, BLOCK or OBSERVE (telemetry entries). */
  catalogMode: Int8Array;
  /** Per catalog index: S_ALLOW, S_FLAG or S_BLOCK. */
  sensitiveMode: Int8Array;
  /** Enabled lists with BLOCK or OBSERVE, in document order. */
  lists: { id: string; mode: number }[];
  observe: boolean;
  /** Id of the schedule (or 'policy') blocking everything, '' when none. */
  blockAll: string;
  safeSearch: 'off' | 'moderate' | 'strict';
  bypassGuard: boolean;
  blockDoh: boolean;
  /** The most specific layer's geography rules. */
  geo: GeoRule[];
  logMode: 'full' | 'anonymous' | 'off';
}

/** The layers of a device, most general first, with each layer's running schedules after it. */
export function activeLayers(layers: (PolicySpec | undefined)[], at: Date): { spec: PolicySpec; schedule: string }[] {
  const out: { spec: PolicySpec; schedule: string }[] = [];
  for (const layer of layers) {
    if (!layer) continue;
    out.push({ spec: layer, schedule: '' });
    for (const s of layer.schedules ?? []) if (isRunning(s, at)) out.push({ spec: s.apply, schedule: s.id });
  }
  return out;
}

/** Whether a schedule's window holds `at` (local time). A window past midnight belongs to the day it starts. */
export function isRunning(s: Schedule, at: Date): boolean {
  const minute = at.getHours() * 60 + at.getMinutes();
  const from = toMinutes(s.from);
  const to = toMinutes(s.to);
  const day = at.getDay();
  if (from < to) return s.days.includes(day) && minute >= from && minute < to;
  // spans midnight: the evening part on a listed day, the morning part on the day after one
  return (s.days.includes(day) && minute >= from) || (s.days.includes((day + 6) % 7) && minute < to);
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Folds layers (most general first) into an effective policy. */
export function foldLayers(layers: { spec: PolicySpec; schedule: string }[], catalogIds: readonly string[], listIds: readonly string[]): EffectivePolicy {
  const pick = <K extends keyof PolicySpec>(key: K): { value: PolicySpec[K]; schedule: string } | undefined => {
    for (let i = layers.length - 1; i >= 0; i--) if (layers[i].spec[key] !== undefined) return { value: layers[i].spec[key], schedule: layers[i].schedule };
    return undefined;
  };
  const mapMode = (key: 'catalogs' | 'sensitive' | 'lists', id: string): string | undefined => {
    for (let i = layers.length - 1; i >= 0; i--) {
      const m = layers[i].spec[key] as Record<string, string> | undefined;
      if (m === undefined) continue;
      const v = m[id] ?? m['*'];
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const code = (v: string | undefined) => (v === 'block' ? BLOCK : v === 'observe' ? OBSERVE : OFF);
  const sensitive = (v: string | undefined) => (v === 'block' ? S_BLOCK : v === 'allow' ? S_ALLOW : S_FLAG);
  const blockAll = pick('blockAll');
  return {
    catalogMode: Int8Array.from(catalogIds, (id) => code(mapMode('catalogs', id))),
    sensitiveMode: Int8Array.from(catalogIds, (id) => sensitive(mapMode('sensitive', id))),
    lists: listIds.map((id) => ({ id, mode: code(mapMode('lists', id)) })).filter((l) => l.mode !== OFF),
    observe: pick('observe')?.value ?? false,
    blockAll: blockAll?.value ? blockAll.schedule || 'policy' : '',
    safeSearch: pick('safeSearch')?.value ?? 'off',
    bypassGuard: pick('bypassGuard')?.value ?? true,
    blockDoh: pick('blockDoh')?.value ?? false,
    geo: pick('geo')?.value ?? [],
    logMode: pick('logMode')?.value ?? 'full',
  };
}
