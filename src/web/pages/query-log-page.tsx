/**
 * The query log: a filter form (a plain GET form, so it works without JavaScript), the newest
 * entries with what was decided and where the answer pointed, a page link to older entries, and
 * a live tail (admin.js opens /api/log/stream and fills copies of the <template> row). Per row,
 * "allow 1 h" (POST /api/allow) and "block" (PUT /api/rules/<id>, a device-scoped rule).
 */
import type { LogEntry } from '../../stats/types.js';
import { LOG_ACTIONS, qtypeName } from '../log-filter.js';
import { clockTime, deviceHref, isoTime, ruleId } from './format.js';
import { Layout } from './layout.js';
import type { QueryLogProps } from './manage-models.js';

/** "SG US · AS64500 Example Net": countries, then networks, each once. */
function answerSummary(e: Pick<LogEntry, 'answers'>): string {
  const countries = [...new Set(e.answers.map((a) => a.country).filter(Boolean))];
  const networks = [...new Set(e.answers.filter((a) => a.asn > 0).map((a) => `AS${a.asn}${a.org ? ` ${a.org}` : ''}`))];
  return [countries.join(' '), networks.join(', ')].filter(Boolean).join(' · ');
}

/** The two row actions; the one that does not fit the row's action is there but hidden (the live tail's template needs both). */
function RowActions(props: { device: string; name: string; action: string }) {
  const { device, name } = props;
  const isBlocked = props.action === 'blocked';
  return (
    <div class="inline">
      <form class={isBlocked ? 'inline allow' : 'inline allow hidden'} data-api="/api/allow" data-then="say:Allowed for 1 h" method="post">
        <input type="hidden" name="device" value={device} />
        <input type="hidden" name="name" value={name} />
        <input type="hidden" name="minutes" data-type="number" value="60" />
        <button type="submit" class="small secondary" aria-label={`Allow ${name} for this device for 1 hour`}>Allow 1 h</button>
        <span role="alert"></span>
      </form>
      <form class={isBlocked ? 'inline block hidden' : 'inline block'} data-api={`/api/rules/${ruleId('b', device, name)}`} data-method="PUT" data-then="say:Blocked" method="post">
        <input type="hidden" name="text" value={`||${name}^`} />
        <input type="hidden" name="scope" value={`device:${device}`} />
        <button type="submit" class="small danger" aria-label={`Block ${name} for this device`}>Block</button>
        <span role="alert"></span>
      </form>
      <span class="status" role="status"></span>
    </div>
  );
}

/** One entry; the live tail fills a copy of the same row through its data-slot cells. */
function LogRow(props: { e: LogEntry; deviceName: string; now: number; canChange: boolean; isTemplate?: boolean }) {
  const { e } = props;
  const iso = isoTime(e.time);
  return (
    <tr>
      <td data-slot="time">
        <time datetime={iso} title={iso}>{clockTime(props.now, e.time)}</time>
      </td>
      <td data-label="Device" data-slot="device">
        {e.deviceId ? <a href={deviceHref(e.deviceId)}>{props.deviceName}</a> : <span class="muted">anonymous</span>}
      </td>
      <td class="name" data-slot="name">{e.name}</td>
      <td data-label="Type" data-slot="type">{qtypeName(e.qtype)}</td>
      <td data-label="Action">
        <span class={`badge ${e.action}`} data-slot="action">{e.action}</span>
        <span class={e.flag ? 'badge flagged' : 'badge flagged hidden'} data-slot="flag">{e.flag}</span>
        <div class="muted" data-slot="reason">{e.detail}</div>
      </td>
      <td data-label="Answer" data-slot="geo">{answerSummary(e)}</td>
      <td class="num" data-label="Latency" data-slot="latency">{e.latencyMs >= 0 ? `${e.latencyMs} ms` : ''}</td>
      {props.canChange ? <td data-slot="actions">{e.deviceId || props.isTemplate ? <RowActions device={e.deviceId} name={e.name} action={e.action} /> : null}</td> : null}
    </tr>
  );
}

const BLANK: LogEntry = { id: '', time: 0, deviceId: '', mac: '', deviceName: '', client: '', name: '', qtype: 1, rcode: 0, action: 'answered', flag: '', detail: '', upstream: '', latencyMs: -1, cnames: [], answers: [], registration: '' };

function FilterForm(props: QueryLogProps) {
  const f = props.filter;
  return (
    <form class="filters" method="get" action="/queries">
      <label>Device
        <select name="device">
          <option value="">All devices</option>
          {props.devices.map((d) => <option value={d.id} selected={f.device === d.id}>{d.name}</option>)}
        </select>
      </label>
      <label>Name contains<input name="name" value={f.name ?? ''} maxlength={253} /></label>
      <label>Action
        <select name="action">
          <option value="">Any</option>
          {LOG_ACTIONS.map((a) => <option value={a} selected={f.action === a}>{a}</option>)}
        </select>
      </label>
      <label>Country<input name="country" value={f.country ?? ''} maxlength={2} placeholder="DE" /></label>
      <label>From<input type="datetime-local" name="from" value={f.from ?? ''} /></label>
      <label>To<input type="datetime-local" name="to" value={f.to ?? ''} /></label>
      <div class="actions"><button type="submit">Filter</button><a href="/queries">Clear</a></div>
    </form>
  );
}

/** The query-log page. */
export function QueryLogPage(props: QueryLogProps) {
  const names = new Map(props.devices.map((d) => [d.id, d.name]));
  const params = new URLSearchParams(Object.entries(props.filter).filter(([k, v]) => v !== '' && k !== 'cursor' && k !== 'from' && k !== 'to'));
  const older = props.next ? `/queries?${new URLSearchParams({ ...Object.fromEntries(Object.entries(props.filter).filter(([, v]) => v !== '')), cursor: props.next })}` : null;
  return (
    <Layout title="Query log" active="/queries">
      <h1>Query log</h1>
      <section class="card" aria-label="Filter">
        <FilterForm {...props} />
        {props.error ? <p role="alert">{props.error}</p> : null}
      </section>
      <section class="card" aria-labelledby="entries">
        <div class="row-head">
          <h2 id="entries">Queries, newest first</h2>
          {props.entries ? (
            <label class="check"><input type="checkbox" data-tail={`/api/log/stream?${params}`} /> Live <span class="muted" data-tail-status role="status"></span></label>
          ) : null}
        </div>
        {!props.entries ? (
          <p class="empty">The query log is not running in this instance.</p>
        ) : (
          <div class="table-wrap">
            <table class="stack log">
              <thead>
                <tr>
                  <th scope="col">Time</th><th scope="col">Device</th><th scope="col">Name</th><th scope="col">Type</th>
                  <th scope="col">Action</th><th scope="col">Answer</th><th scope="col" class="num">Latency</th>
                  {props.canChange ? <th scope="col">Change</th> : null}
                </tr>
              </thead>
              <tbody data-log>
                {props.entries.map((e) => <LogRow e={e} deviceName={names.get(e.deviceId) ?? (e.deviceName || e.deviceId)} now={props.now} canChange={props.canChange} />)}
              </tbody>
            </table>
            {props.entries.length === 0 ? <p class="empty" data-log-empty>No queries match.</p> : null}
            <template id="log-row"><LogRow e={BLANK} deviceName="" now={props.now} canChange={props.canChange} isTemplate /></template>
          </div>
        )}
        {older ? <p><a href={older}>Older entries →</a></p> : null}
      </section>
    </Layout>
  );
}
