/**
 * The built-in vendor catalogs (src/policy/catalogs/*.json, researched and cited in
 * docs/catalogs.md), bundled as data. The policy engine acts on their entries; the devices
 * module uses their `match` hints to suggest a catalog for a device.
 */
import amazon from './catalogs/amazon.json' with { type: 'json' };
import apple from './catalogs/apple.json' with { type: 'json' };
import google from './catalogs/google.json' with { type: 'json' };
import huami from './catalogs/huami.json' with { type: 'json' };
import huawei from './catalogs/huawei.json' with { type: 'json' };
import lg_webos from './catalogs/lg-webos.json' with { type: 'json' };
import microsoft from './catalogs/microsoft.json' with { type: 'json' };
import oppo from './catalogs/oppo.json' with { type: 'json' };
import roku from './catalogs/roku.json' with { type: 'json' };
import samsung from './catalogs/samsung.json' with { type: 'json' };
import tiktok from './catalogs/tiktok.json' with { type: 'json' };
import tuya from './catalogs/tuya.json' with { type: 'json' };
import vacuum from './catalogs/vacuum.json' with { type: 'json' };
import vivo from './catalogs/vivo.json' with { type: 'json' };
import xiaomi from './catalogs/xiaomi.json' with { type: 'json' };

export type EntryClass = 'telemetry' | 'sensitive' | 'functional';

export interface CatalogEntry {
  pattern: string;
  kind: 'suffix' | 'exact' | 'wildcard';
  class: EntryClass;
  note: string;
  sources: number[];
}

export interface Catalog {
  id: string;
  name: string;
  version: number;
  date: string;
  description: string;
  match: { oui_vendors: string[]; hostname_patterns: string[] };
  entries: CatalogEntry[];
  sources: { id: number; title: string; url: string; retrieved: string }[];
}

/** Every built-in catalog, by id order. */
export const CATALOGS: readonly Catalog[] = [amazon, apple, google, huami, huawei, lg_webos, microsoft, oppo, roku, samsung, tiktok, tuya, vacuum, vivo, xiaomi] as Catalog[];
