/**
 * Prometheus text exposition format 0.0.4 (prometheus.io/docs/instrumenting/exposition_formats):
 * one HELP and one TYPE line per family, then its samples; label values escape \ " and newline.
 * The counts come from the drain, so a scrape reads numbers and does no work per query.
 */

/** One metric family. */
export interface Metric {
  /** snake_case, `telemute_` prefixed by convention. */
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: { labels?: Record<string, string>; value: number }[];
}

/** Upper bounds of the upstream latency buckets, ms: a LAN-near resolver answers in 5–50 ms. */
export const LATENCY_BOUNDS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

/** A latency histogram: counts per bucket (not cumulative), plus sum and count. */
export interface Histogram {
  buckets: number[];
  sumMs: number;
  count: number;
}

/** An empty latency histogram. */
export function newHistogram(): Histogram {
  return { buckets: new Array(LATENCY_BOUNDS_MS.length + 1).fill(0), sumMs: 0, count: 0 };
}

/** Counts one latency. */
export function observe(h: Histogram, ms: number): void {
  let i = 0;
  while (i < LATENCY_BOUNDS_MS.length && ms > LATENCY_BOUNDS_MS[i]) i++;
  h.buckets[i]++;
  h.sumMs += ms;
  h.count++;
}

/** A label value escaped for the text format. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function labelText(labels: Record<string, string> | undefined): string {
  if (labels === undefined) return '';
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

/** Number as the format writes it (+Inf, -Inf, NaN spelled out). */
function num(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Families as exposition text. */
export function formatMetrics(metrics: readonly Metric[]): string {
  let out = '';
  for (const m of metrics) {
    out += `# HELP ${m.name} ${escapeHelp(m.help)}\n# TYPE ${m.name} ${m.type}\n`;
    for (const s of m.samples) out += `${m.name}${labelText(s.labels)} ${num(s.value)}\n`;
  }
  return out;
}

/** A latency histogram family in seconds (Prometheus base unit), cumulative buckets. */
export function formatHistogram(name: string, help: string, h: Histogram): string {
  let out = `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} histogram\n`;
  let cumulative = 0;
  LATENCY_BOUNDS_MS.forEach((le, i) => {
    cumulative += h.buckets[i];
    out += `${name}_bucket{le="${le / 1000}"} ${cumulative}\n`;
  });
  out += `${name}_bucket{le="+Inf"} ${h.count}\n${name}_sum ${h.sumMs / 1000}\n${name}_count ${h.count}\n`;
  return out;
}
