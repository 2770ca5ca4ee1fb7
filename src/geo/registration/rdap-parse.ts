/**
 * Reading RDAP domain responses (RFC 9083): the registrar link, the registrar's name, the
 * creation date, the registrant's organisation and address (jCard, RFC 7095), and redaction
 * (RFC 9537). Every reader takes `unknown` and tolerates any shape: a server's JSON is input.
 */
import { isPlaceholder, type Registrant } from './types.js';

type Json = Record<string, unknown>;
const MAX_TEXT = 300; // a registrant name longer than this is noise; bounds what we cache

function obj(v: unknown): Json | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function text(v: unknown): string | null {
  if (Array.isArray(v)) v = v.filter((x) => typeof x === 'string' && x.trim()).join(', ');
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t ? t.slice(0, MAX_TEXT) : null;
}

/** The registrar's RDAP URL: a link with rel "related" and type application/rdap+json
 * (RFC 9083 §4.2; ICANN gTLD RDAP Response Profile 2.2 puts the registrar's record there). */
export function relatedLink(doc: unknown, self: string): string | null {
  for (const l of arr(obj(doc)?.links)) {
    const link = obj(l);
    if (!link || link.rel !== 'related' || typeof link.href !== 'string') continue;
    const type = typeof link.type === 'string' ? link.type.toLowerCase() : '';
    if (type && type !== 'application/rdap+json') continue; // e.g. a text/html web whois
    if (link.href !== self && /^https?:\/\//i.test(link.href)) return link.href;
  }
  return null;
}

/** Entities with `role`, searched one level deep too (contacts nest under the registrar). */
function entitiesWithRole(doc: unknown, role: string): Json[] {
  const out: Json[] = [];
  for (const e of arr(obj(doc)?.entities)) {
    const entity = obj(e);
    if (!entity) continue;
    if (arr(entity.roles).includes(role)) out.push(entity);
    for (const inner of arr(entity.entities)) {
      const ie = obj(inner);
      if (ie && arr(ie.roles).includes(role)) out.push(ie);
    }
  }
  return out;
}

/** jCard properties of an entity: [name, params, type, value] (RFC 7095 §3.3). */
function vcard(entity: Json): Array<[string, Json, unknown]> {
  const card = arr(entity.vcardArray);
  return arr(card[1])
    .filter((p): p is unknown[] => Array.isArray(p) && typeof p[0] === 'string')
    .map((p) => [(p[0] as string).toLowerCase(), obj(p[1]) ?? {}, p[3]]);
}

function prop(entity: Json, name: string): [Json, unknown] | null {
  const p = vcard(entity).find(([n]) => n === name);
  return p ? [p[1], p[2]] : null;
}

/** The registrar's name: the registrar entity's `fn`. */
export function registrarName(doc: unknown): string | null {
  for (const e of entitiesWithRole(doc, 'registrar')) {
    const fn = text(prop(e, 'fn')?.[1]);
    if (fn) return fn;
  }
  return null;
}

/** The "registration" event's date (RFC 9083 §4.5, eventAction values from RFC 9083 §10.2.3). */
export function createdDate(doc: unknown): string | null {
  for (const ev of arr(obj(doc)?.events)) {
    const e = obj(ev);
    if (e?.eventAction === 'registration') return text(e.eventDate);
  }
  return null;
}

/** What a registrant entity publishes; `present` says an entity was there at all. */
export interface RegistrantData extends Registrant {
  present: boolean;
  /** A value was a redaction placeholder ("REDACTED FOR PRIVACY", "Data Protected"). */
  placeholder: boolean;
}

/** The registrant's organisation, country and region, placeholders removed. */
export function registrantOf(doc: unknown): RegistrantData {
  const entity = entitiesWithRole(doc, 'registrant')[0];
  const none: RegistrantData = { present: false, placeholder: false, org: null, country: null, region: null };
  if (!entity) return none;
  let placeholder = false;
  const clean = (v: string | null) => {
    if (v && isPlaceholder(v)) placeholder = true;
    return v && !isPlaceholder(v) ? v : null;
  };
  // `org` is the organisation; `fn` only when the card says it is an organisation (kind "org"):
  // a person's name is not what the owner asked for (who operates the service).
  let org = clean(text(prop(entity, 'org')?.[1]));
  if (!org && text(prop(entity, 'kind')?.[1])?.toLowerCase() === 'org') org = clean(text(prop(entity, 'fn')?.[1]));
  else if (!org) clean(text(prop(entity, 'fn')?.[1])); // only to notice a placeholder
  const adr = prop(entity, 'adr');
  const parts = arr(adr?.[1]); // [pobox, ext, street, locality, region, code, country-name]
  const cc = text(adr?.[0].cc)?.toUpperCase() ?? null; // RFC 8605 §3.1 `cc` parameter
  const country = clean(cc ?? text(parts[6]));
  const region = clean(text(parts[4]));
  return { present: true, placeholder, org, country: country ?? null, region };
}

/** Whether an RFC 9537 `redacted` member says registrant data was removed or replaced. */
export function registrantRedacted(doc: unknown): boolean {
  return arr(obj(doc)?.redacted).some((r) => {
    const name = obj(obj(r)?.name);
    const label = text(name?.type) ?? text(name?.description) ?? '';
    return /registrant/i.test(label);
  });
}
