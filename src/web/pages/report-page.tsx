/**
 * The printable phone-home report of one device (or the house): every registrable domain it
 * contacted, how often, how much was blocked and by what, where the answers pointed and who
 * registered the domain. Print CSS (admin.css @media print) drops the navigation and the buttons.
 */
import type { ReportRow } from '../../stats/report.js';
import { count, isoTime } from './format.js';
import { Layout } from './layout.js';
import type { ReportProps } from './manage-models.js';

const date = (t: number) => isoTime(t)?.slice(0, 16).replace('T', ' ') ?? '';

function Row(props: { r: ReportRow }) {
  const { r } = props;
  const by = Object.entries(r.blockedBy).map(([k, v]) => `${k} ${count(v)}`).join(', ');
  return (
    <tr>
      <td class="name">{r.domain}</td>
      <td data-label="Queries" class="num">{count(r.queries)}</td>
      <td data-label="Blocked" class="num">{count(r.blocked)}{by ? <div class="muted">{by}</div> : null}</td>
      <td data-label="Countries">{r.countries.join(' ')}</td>
      <td data-label="Networks">{r.networks.map((n) => `AS${n.asn}${n.org ? ` ${n.org}` : ''}`).join(', ')}</td>
      <td data-label="Registrant">{r.registrant}</td>
      <td data-label="Seen">{`${date(r.firstSeen)} – ${date(r.lastSeen)}`}</td>
    </tr>
  );
}

/** The printable report page. */
export function ReportPage(props: ReportProps) {
  const api = `/api/report/${encodeURIComponent(props.id)}`;
  const rows = props.report?.domains ?? [];
  return (
    <Layout title={`Report: ${props.title}`} active="/devices">
      <h1>{`Phone-home report: ${props.title}`}</h1>
      <p class="muted">{`Generated ${date(props.now)} UTC. ${count(rows.length)} domains, ${count(rows.reduce((a, r) => a + r.queries, 0))} queries.`}</p>
      <p class="no-print">
        <a href={api}>JSON</a> · <a href={`${api}?format=csv`}>CSV (spreadsheet)</a> · print this page for a PDF
      </p>
      {!props.report ? (
        <p class="empty">Statistics are not running in this instance.</p>
      ) : rows.length === 0 ? (
        <p class="empty">No queries recorded yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="stack report">
            <thead>
              <tr>
                <th scope="col">Domain</th><th scope="col" class="num">Queries</th><th scope="col" class="num">Blocked</th><th scope="col">Countries</th>
                <th scope="col">Networks</th><th scope="col">Registrant</th><th scope="col">First – last seen (UTC)</th>
              </tr>
            </thead>
            <tbody>{rows.map((r) => <Row r={r} />)}</tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
