/**
 * Realistic page data for the view tests, the page-size budget and the browser screenshots: a
 * day of hourly counts, top lists, and a device's destinations, as stats, policy and geo will feed
 * them. Names use example.org and example.net only.
 */
import type { DashboardProps, DeviceDetailProps } from '../../../src/web/pages/view-models.js';

/** The dashboard of a busy house. */
export const SAMPLE_DASHBOARD: Omit<DashboardProps, 'now'> = {
  totals: { queries: 48_213, blocked: 9_871, devices: 14 },
  queries: {
    names: ['Allowed', 'Blocked'],
    points: Array.from({ length: 24 }, (_, h) => {
      const busy = h >= 7 && h <= 23 ? 1 + Math.sin((h - 7) / 5) : 0.3;
      return { label: `${String(h).padStart(2, '0')}:00`, values: [Math.round(1400 * busy + 200), Math.round(380 * busy + 60)] };
    }),
  },
  topBlocked: [
    { label: 'metrics.example.org', value: 2210, note: 'Xiaomi telemetry' },
    { label: 'ads.example.net', value: 1630, note: 'EasyPrivacy' },
    { label: 'tracking.example.org', value: 990 },
    { label: 'crash.example.net', value: 415 },
  ],
  topDevices: [
    { label: 'Living-room TV', value: 12_400, href: '/devices/64%3A09%3A80%3A3a%3A4b%3A5c' },
    { label: 'Phone', value: 8_100 },
    { label: 'Robot vacuum', value: 2_300 },
  ],
  countries: [
    { label: 'Germany', value: 20_100, note: 'DE' },
    { label: 'United States', value: 15_800, note: 'US' },
    { label: 'China', value: 3_300, note: 'CN' },
  ],
};

/** The extra sections of a TV's device page, with times relative to `now` (epoch ms). */
export const sampleDeviceExtras = (now: number): Omit<DeviceDetailProps, 'device' | 'now'> => ({
  destinations: [
    { domain: 'example.org', catalog: 'Xiaomi telemetry', country: 'CN', network: 'AS64496 Example Cloud', registrant: 'Example Ltd', action: 'blocked', reason: 'catalog: xiaomi', queries: 2210 },
    { domain: 'example.net', catalog: null, country: 'DE', network: 'AS64500 Example CDN', registrant: null, action: 'allowed', reason: 'default policy', queries: 640 },
  ],
  recentBlocked: [
    { name: 'metrics.example.org', at: now - 120_000, count: 31, reason: 'catalog: xiaomi' },
    { name: 'logs.example.net', at: now - 3_700_000, count: 4, reason: 'list: easyprivacy' },
  ],
  reports: [
    { label: 'Printable report', href: '/devices/64%3A09%3A80%3A3a%3A4b%3A5c/report' },
    { label: 'JSON', href: '/api/report/64%3A09%3A80%3A3a%3A4b%3A5c' },
    { label: 'CSV (spreadsheet)', href: '/api/report/64%3A09%3A80%3A3a%3A4b%3A5c?format=csv' },
  ],
  endpoints: { device: '64:09:80:3a:4b:5c' },
});
