/**
 * The device page's sections fed by stats, policy and geo: what the device talks to, what was
 * blocked lately, and phone-home reports. Each takes optional data: `undefined` means "that part
 * of telemute is not there yet", an empty list means "nothing recorded".
 */
import { ago, count, ruleId, safeHref } from './format.js';
import type { BlockedName, DestinationRow, ReportLink, RuleEndpoints } from './view-models.js';

const NOT_YET = 'Not available in this version yet.';

/**
 * A one-button form sending a prepared JSON body (data-base) through admin.js: a device-scoped rule
 * (PUT /api/rules/<id>, the id derived from device and name so a second press changes nothing), or
 * a temporary allow (POST /api/allow).
 */
function RuleButton(props: { device: string; name: string; action: 'block' | 'allow' | 'allow1h'; label: string }) {
  const { device, name, action } = props;
  const form =
    action === 'allow1h'
      ? { api: '/api/allow', method: 'POST', body: { device, name, minutes: 60 } }
      : { api: `/api/rules/${ruleId(action === 'block' ? 'b' : 'a', device, name)}`, method: 'PUT', body: { text: `${action === 'block' ? '' : '@@'}||${name}^`, scope: `device:${device}` } };
  return (
    <form class="inline" data-api={form.api} data-method={form.method} data-base={JSON.stringify(form.body)} data-then="reload" method="post">
      <button type="submit" class={action === 'block' ? 'small danger' : 'small secondary'} aria-label={`${props.label}: ${name}`}>
        {props.label}
      </button>
      <span role="alert"></span>
    </form>
  );
}

function Cell(props: { value?: string | null }) {
  return <>{props.value ? props.value : <span class="muted">—</span>}</>;
}

/** "What this device talks to": one row per registrable domain. */
export function Destinations(props: { rows?: DestinationRow[]; endpoints?: RuleEndpoints }) {
  const { rows, endpoints } = props;
  if (!rows) return <p class="empty">{NOT_YET}</p>;
  if (rows.length === 0) return <p class="empty">No queries recorded for this device yet.</p>;
  return (
    <div class="table-wrap">
      <table class="stack">
        <thead>
          <tr>
            <th scope="col">Domain</th>
            <th scope="col">Vendor / catalog</th>
            <th scope="col">Country</th>
            <th scope="col">Network</th>
            <th scope="col">Registrant</th>
            <th scope="col">Action</th>
            <th scope="col" class="num">Queries</th>
            {endpoints ? <th scope="col">Change</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td class="name">{r.domain}</td>
              <td data-label="Vendor"><Cell value={r.catalog} /></td>
              <td data-label="Country"><Cell value={r.country} /></td>
              <td data-label="Network"><Cell value={r.network} /></td>
              <td data-label="Registrant"><Cell value={r.registrant} /></td>
              <td data-label="Action">
                <span class={`badge ${r.action}`}>{r.action}</span>
                {r.reason ? <div class="muted">{r.reason}</div> : null}
              </td>
              <td data-label="Queries" class="num">{count(r.queries)}</td>
              {endpoints ? (
                <td>
                  <div class="inline">
                    {r.action === 'blocked' ? null : <RuleButton device={endpoints.device} name={r.domain} action="block" label="Block" />}
                    {r.action === 'allowed' ? null : <RuleButton device={endpoints.device} name={r.domain} action="allow" label="Allow" />}
                  </div>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Recently blocked names, each with "allow for 1 h" when the endpoint exists. */
export function RecentBlocked(props: { names?: BlockedName[]; now: number; endpoints?: RuleEndpoints }) {
  const { names, endpoints } = props;
  if (!names) return <p class="empty">{NOT_YET}</p>;
  if (names.length === 0) return <p class="empty">Nothing blocked lately.</p>;
  return (
    <ul class="barlist">
      {names.map((b) => (
        <li>
          <div class="row">
            <span>
              <code>{b.name}</code>
              <span class="muted">{` ${count(b.count)}× · ${ago(props.now, b.at)}${b.reason ? ` · ${b.reason}` : ''}`}</span>
            </span>
            {endpoints ? <RuleButton device={endpoints.device} name={b.name} action="allow1h" label="Allow for 1 h" /> : null}
          </div>
        </li>
      ))}
    </ul>
  );
}

/** Links to phone-home reports; a link whose href is not local or http(s) is shown as text. */
export function Reports(props: { links?: ReportLink[] }) {
  if (!props.links) return <p class="empty">{NOT_YET}</p>;
  if (props.links.length === 0) return <p class="empty">No reports for this device.</p>;
  return (
    <ul>
      {props.links.map((l) => {
        const href = safeHref(l.href, true);
        return <li>{href ? <a href={href} rel="noreferrer">{l.label}</a> : l.label}</li>;
      })}
    </ul>
  );
}
