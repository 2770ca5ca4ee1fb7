/**
 * The device page's "Policy" section: the device's group (PATCH /api/devices/:id), what it gets in
 * effect now, a pause, and the editor of its own layer (PUT /api/devices/:id/policy, whole spec;
 * "reset" is DELETE: everything as the household/group again).
 */
import { deviceApi } from './device-parts.js';
import { clockTime } from './format.js';
import { CatalogChoices, Switches } from './layer-editor.js';
import { SendButton } from './manage-parts.js';
import { PauseControl } from './pause-parts.js';
import type { DevicePolicyProps, EffectiveView } from './policy-models.js';

const DEVICE_PAUSES = [15, 60, 480];

function GroupForm(props: { p: DevicePolicyProps }) {
  const { p } = props;
  return (
    <form class="inline" data-api={deviceApi(p.device)} data-method="PATCH" data-then="reload" method="post">
      <label class="vh" for="group-select">Group</label>
      <select id="group-select" name="policy">
        <option value="" selected={p.group === null}>Household default (no group)</option>
        {p.groups.map((g) => <option value={g.id} selected={g.id === p.group}>{g.name}</option>)}
      </select>
      <button type="submit" class="small">Move</button>
      <span role="alert"></span>
    </form>
  );
}

/** What the device gets now, in words: the parts an owner checks first. */
function InEffect(props: { e: EffectiveView; names: Map<string, string> }) {
  const { e, names } = props;
  const ids = Object.keys(e.catalogs);
  // "all 15" instead of fifteen long vendor names: the usual case, and the one to see at a glance.
  const named = (mode: string) => {
    const hits = ids.filter((id) => e.catalogs[id] === mode);
    if (hits.length === 0) return 'none';
    return hits.length === ids.length ? `all ${ids.length}` : hits.map((id) => names.get(id) ?? id).join(', ');
  };
  const rows: [string, string][] = [
    ['Catalogs blocked', named('block')],
    ['Catalogs observed', named('observe')],
    ['Observe only', e.observe ? 'on: nothing is blocked, what would be is logged' : 'off'],
    ['Block everything', e.blockAll === null ? 'off' : e.blockAll === 'policy' ? 'on' : `on (schedule ${e.blockAll})`],
    ['SafeSearch', e.safeSearch],
    ['Public DoH resolvers', e.blockDoh ? 'blocked' : 'not blocked'],
    ['Query log', e.logMode],
  ];
  return (
    <div class="table-wrap">
      <table class="kv effective">
        <tbody>
          {rows.map(([k, v]) => (
            <tr><th scope="row">{k}</th><td>{v}</td></tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The policy section of the device page. */
export function DevicePolicySection(props: { p: DevicePolicyProps; now: number; name: string }) {
  const { p, now } = props;
  const names = new Map(p.editor.catalogs.map((c) => [c.id, c.name]));
  const api = p.editor.api;
  const hasOwn = Object.keys(p.editor.spec).length > 0;
  const house = p.householdPausedUntil;
  return (
    <section class="card" aria-labelledby="policy" data-policy={p.device}>
      <h2 id="policy">Policy</h2>
      <div class="choice-row">
        <span>Group</span>
        <GroupForm p={p} />
      </div>
      <h3>Pause</h3>
      <PauseControl target={p.device} what={props.name} now={now} until={p.pausedUntil} minutes={DEVICE_PAUSES} note={house !== null ? `The whole household is paused until ${clockTime(now, house)}.` : undefined} />
      <h3>In effect now</h3>
      <InEffect e={p.effective} names={names} />
      {p.effective.schedules.length ? <p class="muted">{`Schedules running now: ${p.effective.schedules.join(', ')}.`}</p> : null}
      <h3>This device's own settings</h3>
      <p class="muted">
        {`Each setting is either this device's own or "as ${p.editor.inheritLabel}". `}
        <b>block</b> answers telemetry with nothing, <b>observe</b> only logs what would be blocked, <b>off</b> ignores the catalog.
        Sensitive entries also carry things you may want: <b>flag</b> logs them, <b>block</b> stops them (read the costs first).
      </p>
      <CatalogChoices ed={p.editor} />
      <Switches ed={p.editor} />
      {hasOwn ? (
        <div class="actions">
          <SendButton api={api} method="DELETE" label={`Reset: everything as ${p.editor.inheritLabel}`} aria={`Reset: everything as ${p.editor.inheritLabel}`} class="small danger" />
        </div>
      ) : null}
    </section>
  );
}
