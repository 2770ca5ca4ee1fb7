/**
 * The dashboard: totals, queries over time, and the top lists. Every part is optional, so the route
 * can render it before stats and geo exist and an empty router shows empty states.
 */
import { BarList, TimeBarChart } from './charts.js';
import { count } from './format.js';
import { Layout } from './layout.js';
import { PauseControl } from './pause-parts.js';
import type { DashboardProps } from './view-models.js';

function Totals(props: { totals: NonNullable<DashboardProps['totals']> }) {
  const t = props.totals;
  const share = t.queries > 0 ? `${Math.round((t.blocked / t.queries) * 100)}%` : '–';
  return (
    <div class="stats">
      <div class="card stat"><b>{count(t.queries)}</b>queries</div>
      <div class="card stat"><b>{count(t.blocked)}</b>{`blocked (${share})`}</div>
      <div class="card stat"><b>{count(t.devices)}</b>devices</div>
    </div>
  );
}

/** The dashboard page. */
export function DashboardPage(props: DashboardProps) {
  const isWeek = props.period === '7d';
  return (
    <Layout title="Dashboard" active="/">
      <h1>Dashboard</h1>
      {props.totals ? <Totals totals={props.totals} /> : null}
      {props.pause ? (
        <section class="card" aria-labelledby="house-pause">
          <h2 id="house-pause">Household blocking</h2>
          <PauseControl target="household" what="the whole household" now={props.now} until={props.pause.until} minutes={[15, 60]} />
        </section>
      ) : null}
      <section class="card" aria-labelledby="over-time">
        <div class="row-head">
          <h2 id="over-time">{isWeek ? 'Queries, last 7 days' : 'Queries, last 24 hours'}</h2>
          <nav class="choice" aria-label="Period">
            <a href="/" aria-current={isWeek ? undefined : 'page'}>24 h</a>
            <a href="/?period=7d" aria-current={isWeek ? 'page' : undefined}>7 d</a>
          </nav>
        </div>
        {props.queries ? (
          <TimeBarChart
            id="queries"
            title={isWeek ? 'Queries per day, last 7 days' : 'Queries per hour, last 24 hours'}
            description={`Stacked bars: allowed and blocked queries for each ${isWeek ? 'day' : 'hour'}.`}
            series={props.queries}
          />
        ) : (
          <p class="empty">Statistics are not available in this version yet.</p>
        )}
      </section>
      <div class="grid">
        <section class="card" aria-labelledby="top-blocked">
          <h2 id="top-blocked">Most blocked</h2>
          <BarList title="Most blocked domains" items={props.topBlocked ?? []} isBlocked />
        </section>
        <section class="card" aria-labelledby="top-devices">
          <h2 id="top-devices">Busiest devices</h2>
          <BarList title="Devices by queries" items={props.topDevices ?? []} />
        </section>
        <section class="card" aria-labelledby="countries">
          <h2 id="countries">Countries contacted</h2>
          <BarList title="Countries the answers pointed to" items={props.countries ?? []} />
        </section>
        {props.flagged ? (
          <section class="card" aria-labelledby="flagged">
            <h2 id="flagged">Flagged</h2>
            <BarList title="Names flagged by inspection" items={props.flagged} />
          </section>
        ) : null}
      </div>
    </Layout>
  );
}
