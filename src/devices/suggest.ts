/**
 * Which vendor catalogs suit a device, from its hardware vendor (IEEE OUI organisation) and its
 * names: a Xiaomi phone → the Xiaomi catalog. Hints only: the owner decides (policy issue).
 */
import type { Catalog } from '../policy/catalogs.js';

/** Lowercase letters and digits only: "XIAOMI Electronics,CO.,LTD" → "xiaomielectronicscoltd". */
const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Compiles the catalogs' hints once; returns the suggestion function. */
export function createSuggester(catalogs: readonly Catalog[]): (d: { vendor: string | null; dhcpName: string | null; name: string | null }) => string[] {
  const compiled = catalogs.map((c) => ({
    id: c.id,
    vendors: c.match.oui_vendors.map(squash).filter((v) => v.length >= 3),
    names: c.match.hostname_patterns.flatMap((p) => {
      try {
        return [new RegExp(p, 'i')];
      } catch {
        return []; // a bad hint in a catalog must not stop telemute
      }
    }),
  }));
  return (d) => {
    const vendor = d.vendor ? squash(d.vendor) : '';
    const names = [d.dhcpName, d.name].filter((n): n is string => !!n);
    return compiled
      .filter((c) => (vendor.length >= 3 && c.vendors.some((v) => v.startsWith(vendor) || vendor.startsWith(v))) || names.some((n) => c.names.some((r) => r.test(n))))
      .map((c) => c.id);
  };
}
