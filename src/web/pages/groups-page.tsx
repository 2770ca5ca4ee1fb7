/**
 * Groups ("Kids", "TVs", "IoT"): the layer between the household and a device. Per group: its
 * members (moved on each device's page), a rename, the same catalog and switch editor as a device,
 * its schedules, and delete (refused while devices are in it). Each change is one PUT of the whole
 * group, `{ name, spec }` (PUT /api/groups/:id).
 */
import { deviceHref } from './format.js';
import { Layout } from './layout.js';
import { CatalogChoices, Switches } from './layer-editor.js';
import { OrEmpty, SendButton } from './manage-parts.js';
import type { GroupsProps, GroupView } from './policy-models.js';
import { Schedules } from './schedule-parts.js';

function Group(props: { g: GroupView }) {
  const { g } = props;
  const uid = `group-${g.id}`;
  return (
    <section class="card" aria-labelledby={uid} data-group={g.id}>
      <div class="row-head">
        <h2 id={uid}>{g.name}</h2>
        <SendButton api={g.editor.api} method="DELETE" label="Delete group" aria={`Delete group ${g.name}`} class="small danger" />
      </div>
      <p>
        <span class="muted">{`Devices (${g.members.length}): `}</span>
        {g.members.length === 0 ? <span class="muted">none yet: choose this group on a device's page.</span> : null}
        {g.members.map((m, i) => (
          <>
            {i > 0 ? ', ' : ''}
            <a href={deviceHref(m.id)}>{m.name}</a>
          </>
        ))}
      </p>
      <form class="inline" data-api={g.editor.api} data-method="PUT" data-base={JSON.stringify({ spec: g.editor.spec })} data-then="reload" method="post">
        <label class="vh" for={`${uid}-name`}>{`New name for group ${g.name}`}</label>
        <input id={`${uid}-name`} name="name" value={g.name} required maxlength={64} />
        <button type="submit" class="small">Rename</button>
        <span role="alert"></span>
      </form>
      <h3>Catalogs</h3>
      <CatalogChoices ed={g.editor} />
      <h3>Switches</h3>
      <Switches ed={g.editor} />
      <h3>Schedules</h3>
      <Schedules ed={g.editor} uid={uid} running={g.running} />
    </section>
  );
}

function NewGroup() {
  return (
    <section class="card" aria-labelledby="new-group">
      <h2 id="new-group">New group</h2>
      <form data-api="/api/groups/{id}" data-method="PUT" data-base={JSON.stringify({ spec: {} })} data-then="reload" method="post">
        <div class="fields">
          <label>Id<input name="id" required pattern="[a-z0-9][a-z0-9_\-]{0,39}" placeholder="kids" /></label>
          <label>Name<input name="name" required maxlength={64} placeholder="Kids" /></label>
        </div>
        <p class="muted">The id is short and permanent (a-z, 0-9, - and _); the name can change. A new group starts with everything as the household.</p>
        <p role="alert"></p>
        <div class="actions"><button type="submit">Create group</button></div>
      </form>
    </section>
  );
}

/** The groups page. */
export function GroupsPage(props: GroupsProps) {
  return (
    <Layout title="Groups" active="/groups">
      <h1>Groups</h1>
      <p class="muted">
        A group's settings apply to its devices on top of the household's; a device's own settings (on its page) beat both. A schedule lays
        its settings over the group during its window, e.g. block everything on school nights.
      </p>
      <OrEmpty when={props.groups !== undefined} message="The policy engine is not running in this instance.">
        <OrEmpty when={(props.groups ?? []).length > 0} message="No groups yet.">
          {(props.groups ?? []).map((g) => <Group g={g} />)}
        </OrEmpty>
        <NewGroup />
      </OrEmpty>
    </Layout>
  );
}
