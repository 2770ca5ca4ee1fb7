/**
 * Lists & catalogs: the built-in vendor catalogs with what the household does with each (a
 * block/observe/off choice per catalog, and block/flag/allow for its sensitive entries, whose
 * trade-offs are spelled out), then the subscribed lists with their state, last error and entry
 * counts, an "update now" button, delete, and a form to add one.
 */
import type { CatalogMode, PolicySpec, SensitiveMode } from '../../policy/policy-doc.js';
import { ago, count } from './format.js';
import { Layout } from './layout.js';
import { ModeChoice, OrEmpty, SendButton, SensitiveNotes } from './manage-parts.js';
import type { CatalogView, ListsProps, ListView } from './manage-models.js';

const CATALOG_MODES: readonly CatalogMode[] = ['block', 'observe', 'off'];
const SENSITIVE_MODES: readonly SensitiveMode[] = ['block', 'flag', 'allow'];
const HOUSEHOLD = '/api/policy/household';

function Catalog(props: { c: CatalogView; household: PolicySpec }) {
  const { c, household } = props;
  const withCatalog = (m: CatalogMode) => ({ ...household, catalogs: { ...household.catalogs, [c.id]: m } });
  const withSensitive = (m: SensitiveMode) => ({ ...household, sensitive: { ...household.sensitive, [c.id]: m } });
  return (
    <section class="card" aria-labelledby={`cat-${c.id}`}>
      <h2 id={`cat-${c.id}`}>{c.name}</h2>
      <p class="muted">{c.description}</p>
      <p>
        {`${count(c.counts.telemetry)} telemetry · ${count(c.counts.sensitive)} sensitive · ${count(c.counts.functional)} functional`}
      </p>
      <div class="choice-row">
        <span>Telemetry{c.isDefaultMode ? <span class="muted"> (house default)</span> : null}</span>
        <ModeChoice label={`${c.name} telemetry`} modes={CATALOG_MODES} current={c.mode} api={HOUSEHOLD} bodyFor={withCatalog} />
      </div>
      {c.sensitive.length > 0 ? (
        <>
          <div class="choice-row">
            <span>Sensitive</span>
            <ModeChoice label={`${c.name} sensitive entries`} modes={SENSITIVE_MODES} current={c.sensitiveMode} api={HOUSEHOLD} bodyFor={withSensitive} />
          </div>
          <SensitiveNotes summary={`What the ${c.sensitive.length} sensitive entries do, and what blocking them costs`} entries={c.sensitive} />
        </>
      ) : null}
    </section>
  );
}

function ListRow(props: { l: ListView; now: number }) {
  const { l } = props;
  const api = `/api/lists/${encodeURIComponent(l.id)}`;
  const counts = l.counts ? Object.entries(l.counts).map(([k, v]) => `${count(v)} ${k}`).join(', ') : '';
  return (
    <tr>
      <td class="name">{l.name}<div class="muted mono">{l.url}</div></td>
      <td data-label="Mode">{l.enabled ? l.mode : 'disabled'}</td>
      <td data-label="State">
        <span class={l.state === 'error' ? 'badge blocked' : 'badge'}>{l.state ?? 'unknown'}</span>
        {l.lastError ? <div class="bad">{l.lastError}</div> : null}
        {l.lastChecked ? <div class="muted">{`checked ${ago(props.now, l.lastChecked)}`}</div> : null}
      </td>
      <td data-label="Entries">{counts || <span class="muted">—</span>}</td>
      <td>
        <div class="inline">
          <SendButton api={`${api}/refresh`} method="POST" label="Update now" aria={`Update ${l.name} now`} />
          <SendButton api={api} method="DELETE" label="Delete" aria={`Delete ${l.name}`} class="small danger" />
        </div>
      </td>
    </tr>
  );
}

function AddList() {
  return (
    <form data-api="/api/lists/{id}" data-method="PUT" data-then="reload" method="post">
      <div class="fields">
        <label>Id<input name="id" required pattern="[a-z0-9][a-z0-9_\-]{0,39}" placeholder="easyprivacy" /></label>
        <label>Name<input name="name" required maxlength={64} /></label>
        <label class="wide">URL<input name="url" type="url" required placeholder="https://example.org/list.txt" /></label>
        <label>Update every (hours)<input name="updateHours" type="number" data-type="number" value="24" min="1" max="168" /></label>
      </div>
      <p role="alert"></p>
      <div class="actions"><button type="submit">Add list</button></div>
    </form>
  );
}

/** The lists & catalogs page. */
export function ListsPage(props: ListsProps) {
  return (
    <Layout title="Lists & catalogs" active="/lists">
      <h1>Lists &amp; catalogs</h1>
      <p class="muted">
        Catalogs are telemetry names researched per vendor. <b>block</b> answers them with nothing, <b>observe</b> only logs what would be
        blocked, <b>off</b> ignores them. Sensitive entries also carry things you may want (notifications, sync): they are flagged by default.
      </p>
      <OrEmpty when={props.catalogs.length > 0} message="The policy engine is not running in this instance.">
        <div class="grid">{props.catalogs.map((c) => <Catalog c={c} household={props.household} />)}</div>
      </OrEmpty>
      <section class="card" aria-labelledby="lists">
        <h2 id="lists">Subscribed lists</h2>
        <OrEmpty when={props.lists.length > 0} message="No lists yet.">
          <div class="table-wrap">
            <table class="stack">
              <thead><tr><th scope="col">List</th><th scope="col">Mode</th><th scope="col">State</th><th scope="col">Entries</th><th scope="col">Change</th></tr></thead>
              <tbody>{props.lists.map((l) => <ListRow l={l} now={props.now} />)}</tbody>
            </table>
          </div>
        </OrEmpty>
        <h2>Add a list</h2>
        <AddList />
      </section>
    </Layout>
  );
}
