// A realistic household for size measurements: 30 devices × 500 registrable domains × 30 days,
// every cell present (the worst case of that house), counts spread like real DNS traffic (most
// domains a few queries a day, a few thousands), a quarter of the domains blocked. Deterministic.
import { createDomains, type Domains } from '../../src/stats/domains.js';
import { createHourly, type Hourly } from '../../src/stats/hourly.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const COUNTRIES = ['US', 'SG', 'CN', 'DE', 'NL', 'IE', 'JP', 'KR', 'GB', 'FR', 'IN', 'HK', 'SE', 'CA', 'AU'];

/** Park–Miller: the same household every run. */
export function prng(seed = 42): () => number {
  let s = seed;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

/** Fills fresh hourly and per-domain counts; `end` is the last day's time. */
export function household(end: number, devices = 30, perDevice = 500, days = 30): { hourly: Hourly; domains: Domains } {
  const rnd = prng();
  const hourly = createHourly();
  const domains = createDomains();
  const shared = Array.from({ length: 2000 }, (_, i) => `svc${i}-${Math.floor(rnd() * 1e6).toString(36)}.example.org`);
  for (let d = 0; d < devices; d++) {
    const id = `aa:bb:cc:00:00:${d.toString(16).padStart(2, '0')}`;
    const offset = Math.floor(rnd() * shared.length);
    for (let k = 0; k < perDevice; k++) {
      const domain = k < 300 ? shared[(offset + k) % shared.length] : `dev${d}-t${k}.example.net`;
      const blocked = rnd() < 0.25;
      const countries = [COUNTRIES[Math.floor(rnd() * rnd() * COUNTRIES.length)]];
      const asns = [64500 + Math.floor(rnd() * 60)];
      const perDay = Math.floor(Math.exp(rnd() * 7)); // 1 … 1 100 a day
      for (let day = days - 1; day >= 0; day--) {
        const n = Math.max(1, Math.round(perDay * (0.5 + rnd())));
        domains.record(id, domain, { time: end - day * DAY - Math.floor(rnd() * 3_600_000), blocked, flagged: false, source: blocked ? 'catalog:acme' : '', countries, asns }, n);
      }
    }
    for (let h = 0; h < days * 24; h++) hourly.count('device', id, end - h * HOUR, false, false, Math.floor(rnd() * 500));
  }
  const keys: [Parameters<Hourly['count']>[0], string][] = [['house', ''], ...COUNTRIES.map((c) => ['country', c] as [ 'country', string ]), ...Array.from({ length: 60 }, (_, i) => ['asn', String(64500 + i)] as ['asn', string]), ...Array.from({ length: 10 }, (_, i) => ['source', `list:${i}`] as ['source', string])];
  for (const [kind, key] of keys) for (let h = 0; h < days * 24; h++) hourly.count(kind, key, end - h * HOUR, false, false, Math.floor(rnd() * 2000));
  return { hourly, domains };
}
