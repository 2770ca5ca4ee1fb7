/**
 * Charts drawn on the server as SVG: no chart library, no script, and sizes as SVG attributes (the
 * CSP forbids inline styles). Every label goes through JSX, which escapes it in text and in
 * attributes alike; nothing here builds markup from strings. Each chart has a text alternative:
 * <title>/<desc> named by aria-labelledby, and the same numbers as a table.
 */
import { count, safeHref } from './format.js';
import type { BarItem, TimeSeries } from './view-models.js';

/** Props of TimeBarChart. */
export interface TimeBarChartProps {
  /** Unique on the page: the SVG's title and desc ids derive from it. */
  id: string;
  title: string;
  /** What the chart shows, for screen readers (<desc>). */
  description: string;
  series: TimeSeries;
}

// The drawing's own coordinate system; the SVG scales to its box (viewBox), so these are not pixels.
const W = 600;
const H = 180;
const LEFT = 44;
const BOTTOM = 20;
const TOP = 8;

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Where a time label goes: centred under its bar, except that the first and last hang inward from
 * their bar's outer edge, so the drawing's edges never clip them.
 */
function xLabelAt(i: number, n: number, step: number, barW: number): { x: number; anchor: 'start' | 'middle' | 'end' } {
  const margin = (step - barW) / 2;
  if (n > 1 && i === 0) return { x: round(LEFT + margin), anchor: 'start' };
  if (n > 1 && i === n - 1) return { x: round(W - margin), anchor: 'end' };
  return { x: round(LEFT + i * step + step / 2), anchor: 'middle' };
}

/** A stacked bar chart over time, e.g. allowed and blocked queries per hour. */
export function TimeBarChart(props: TimeBarChartProps) {
  const { id, series } = props;
  const points = series.points;
  if (points.length === 0) return <p class="empty">No data yet.</p>;
  const totals = points.map((p) => p.values.reduce((a, b) => a + Math.max(0, b), 0));
  const max = Math.max(1, ...totals);
  const plotW = W - LEFT;
  const plotH = H - TOP - BOTTOM;
  const step = plotW / points.length;
  const barW = Math.max(1, step * 0.8);
  const xLabels = new Set([0, Math.floor((points.length - 1) / 2), points.length - 1]);
  return (
    <figure class="chart-figure">
      <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>{props.title}</title>
        <desc id={`${id}-desc`}>{props.description}</desc>
        <line class="axis" x1={LEFT} y1={H - BOTTOM} x2={W} y2={H - BOTTOM} />
        <text x={LEFT - 6} y={TOP + 10} text-anchor="end">
          {count(max)}
        </text>
        <text x={LEFT - 6} y={H - BOTTOM} text-anchor="end">
          0
        </text>
        {points.map((p, i) => {
          let y = H - BOTTOM;
          const x = round(LEFT + i * step + (step - barW) / 2);
          return (
            <g>
              <title>{`${p.label}: ${series.names.map((n, k) => `${n} ${count(p.values[k] ?? 0)}`).join(', ')}`}</title>
              {p.values.map((v, k) => {
                const h = (Math.max(0, v) / max) * plotH;
                y -= h;
                return h > 0 ? <rect class={`s${k % 3}`} x={x} y={round(y)} width={round(barW)} height={round(h)} /> : null;
              })}
            </g>
          );
        })}
        {points.map((p, i) => {
          if (!xLabels.has(i)) return null;
          const at = xLabelAt(i, points.length, step, barW);
          return (
            <text x={at.x} y={H - 4} text-anchor={at.anchor}>
              {p.label}
            </text>
          );
        })}
      </svg>
      <ul class="legend" aria-hidden="true">
        {series.names.map((n, k) => (
          <li>
            <svg width="10" height="10" viewBox="0 0 10 10" class="swatch">
              <rect class={`s${k % 3}`} width="10" height="10" />
            </svg>
            {n}
          </li>
        ))}
      </ul>
      <details class="data">
        <summary>Data table</summary>
        <div class="table-wrap">
          <table>
            <caption class="muted">{props.title}</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                {series.names.map((n) => (
                  <th scope="col" class="num">
                    {n}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr>
                  <th scope="row">{p.label}</th>
                  {series.names.map((_, k) => (
                    <td class="num">{count(p.values[k] ?? 0)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

/** Props of BarList. */
export interface BarListProps {
  /** Names the list for screen readers. */
  title: string;
  items: BarItem[];
  /** Colours the bars as blocked traffic. */
  isBlocked?: boolean;
}

/**
 * A ranked list with a bar per line, longest first as given. The label and number are text (read
 * as is by screen readers); the bar is decoration and hidden from them.
 */
export function BarList(props: BarListProps) {
  if (props.items.length === 0) return <p class="empty">Nothing yet.</p>;
  const max = Math.max(1, ...props.items.map((i) => i.value));
  return (
    <ol class={props.isBlocked ? 'barlist blocked' : 'barlist'} aria-label={props.title}>
      {props.items.map((item) => {
        const href = safeHref(item.href);
        const pct = round((Math.max(0, item.value) / max) * 100);
        return (
          <li>
            <div class="row">
              <span>
                {href ? <a href={href}>{item.label}</a> : item.label}
                {item.note ? <span class="muted"> {item.note}</span> : null}
              </span>
              <span class="num">{count(item.value)}</span>
            </div>
            <svg aria-hidden="true" focusable="false" preserveAspectRatio="none" viewBox="0 0 100 6">
              <rect class="track" width="100" height="6" rx="3" />
              <rect class="bar" width={pct} height="6" rx="3" />
            </svg>
          </li>
        );
      })}
    </ol>
  );
}
