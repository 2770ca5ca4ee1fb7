/**
 * A layer's schedules: each in words with a delete button, and a form adding "block everything on
 * these days from … to …" (a schedule whose `apply` is `{ blockAll: true }`). Times are the
 * router's local time; a window whose end is before its start runs past midnight.
 */
import type { Schedule } from '../../policy/policy-doc.js';
import { bodyOf } from './layer-editor.js';
import { OrEmpty, SendButton } from './manage-parts.js';
import type { LayerEditor } from './policy-models.js';
import { freeId } from './rules-page.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "Mon, Tue, Wed 21:00–07:00: block everything". */
function scheduleText(s: Schedule): string {
  const days = s.days.length === 7 ? 'Every day' : [...s.days].sort().map((d) => DAYS[d]).join(', ');
  const what = Object.entries(s.apply).map(([k, v]) => (k === 'blockAll' ? (v ? 'block everything' : 'unblock everything') : `${k}: ${JSON.stringify(v)}`));
  return `${days} ${s.from}–${s.to}${s.to < s.from ? ' (next day)' : ''}: ${what.join(', ') || 'nothing'}`;
}

/** The schedules of a layer and the add form; `path` is where the list sits in the PUT body. */
export function Schedules(props: { ed: LayerEditor; uid: string; running?: string[] }) {
  const { ed, uid } = props;
  const list = ed.spec.schedules ?? [];
  const path = ed.groupName === undefined ? 'schedules' : 'spec.schedules';
  return (
    <>
      <OrEmpty when={list.length > 0} message="No schedules.">
        <ul class="rules">
          {list.map((s) => (
            <li class="row">
              <span>
                {s.name ? <b>{`${s.name}: `}</b> : null}
                {scheduleText(s)}
                {props.running?.includes(s.id) ? <> <span class="badge flagged">running now</span></> : null}
              </span>
              <SendButton api={ed.api} body={bodyOf(ed, { ...ed.spec, schedules: list.filter((x) => x.id !== s.id) })} label="Delete" aria={`Delete schedule ${s.name ?? s.id}`} class="small danger" />
            </li>
          ))}
        </ul>
      </OrEmpty>
      <details>
        <summary>Add a schedule</summary>
        <form data-api={ed.api} data-method="PUT" data-base={JSON.stringify(bodyOf(ed, ed.spec))} data-append={path} data-then="reload" method="post">
          <fieldset class="days">
            <legend>Days</legend>
            {DAYS.map((d, i) => (
              <label class="check"><input type="checkbox" name="days" value={String(i)} data-type="set" checked={i >= 1 && i <= 5} />{d}</label>
            ))}
          </fieldset>
          <div class="fields">
            <label for={`${uid}-from`}>From<input id={`${uid}-from`} name="from" type="time" required value="21:00" /></label>
            <label for={`${uid}-to`}>To<input id={`${uid}-to`} name="to" type="time" required value="07:00" /></label>
            <label for={`${uid}-name`}>Name<input id={`${uid}-name`} name="name" maxlength={64} placeholder="School nights" data-optional /></label>
          </div>
          <label class="check"><input type="checkbox" name="apply.blockAll" checked />Block everything during this time</label>
          <input type="hidden" name="id" value={freeId(list.map((s) => s.id), 'sched')} />
          <p role="alert"></p>
          <div class="actions"><button type="submit">Add schedule</button></div>
        </form>
      </details>
    </>
  );
}
