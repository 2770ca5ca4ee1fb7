/**
 * The editor of one policy layer (a device's own spec, or a group's): per catalog block / observe /
 * off or "as the layer above", the sensitive entries with their trade-offs, and the switches
 * (observe, block everything, SafeSearch, public DoH, log mode). Every button sends the whole layer
 * with one field changed (data-base, as the lists page does), so the PUT always carries a complete
 * spec and a field set back to "as …" is simply left out of it.
 */
import type { PolicySpec } from '../../policy/policy-doc.js';
import { SendButton, SensitiveNotes } from './manage-parts.js';
import type { CatalogChoice, LayerEditor } from './policy-models.js';

/** Any option value; `undefined` is "as the layer above" (the field is left out of the spec). */
type Value = string | boolean | undefined;
type MapKey = 'catalogs' | 'sensitive';

/** The PUT body for `spec`: the spec itself for a device, `{ name, spec }` for a group. */
export function bodyOf(ed: LayerEditor, spec: PolicySpec): unknown {
  return ed.groupName === undefined ? spec : { name: ed.groupName, spec };
}

/** `spec` with `key` set, or removed when `value` is undefined. */
function withField(spec: PolicySpec, key: keyof PolicySpec, value: Value): PolicySpec {
  const next: Record<string, unknown> = { ...spec };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next as PolicySpec;
}

/** `spec` with one catalog's mode set or removed; an emptied map is left out too. */
function withMode(spec: PolicySpec, key: MapKey, id: string, value: string | undefined): PolicySpec {
  const map: Record<string, string> = { ...(spec[key] ?? {}) };
  if (value === undefined) delete map[id];
  else map[id] = value;
  return withField(spec, key, Object.keys(map).length ? (map as unknown as string) : undefined);
}

const shown = (v: Value) => (v === true ? 'on' : v === false ? 'off' : String(v));

/** A row of choices: "as household (block)", then the values; the one in force in this layer pressed. */
function Choice(props: { ed: LayerEditor; label: string; current: Value; inherited: Value; values: readonly (string | boolean)[]; set: (v: Value) => PolicySpec }) {
  const { ed, label, current } = props;
  const options: { value: Value; text: string }[] = [
    { value: undefined, text: props.inherited === undefined ? `as ${ed.inheritLabel}` : `as ${ed.inheritLabel} (${shown(props.inherited)})` },
    ...props.values.map((v) => ({ value: v, text: shown(v) })),
  ];
  return (
    <div class="choice-row">
      <span>{label}</span>
      <div class="choice" role="group" aria-label={label}>
        {options.map((o) => (
          <SendButton api={ed.api} body={bodyOf(ed, props.set(o.value))} label={o.text} aria={`${label}: ${o.value === undefined ? `as ${ed.inheritLabel}` : o.text}`} isPressed={o.value === current} class={o.value === current ? 'small' : 'small secondary'} />
        ))}
      </div>
    </div>
  );
}

function CatalogRow(props: { ed: LayerEditor; c: CatalogChoice }) {
  const { ed, c } = props;
  const { spec, inherited } = ed;
  return (
    <li class="catalog">
      <Choice ed={ed} label={`${c.name} telemetry`} current={spec.catalogs?.[c.id]} inherited={inherited.catalogs[c.id]} values={['block', 'observe', 'off']} set={(v) => withMode(spec, 'catalogs', c.id, v as string | undefined)} />
      {c.sensitive.length > 0 ? (
        <>
          <Choice ed={ed} label={`${c.name} sensitive entries`} current={spec.sensitive?.[c.id]} inherited={inherited.sensitive[c.id]} values={['block', 'flag', 'allow']} set={(v) => withMode(spec, 'sensitive', c.id, v as string | undefined)} />
          <SensitiveNotes summary={`What blocking ${c.name}'s ${c.sensitive.length} sensitive entries costs`} entries={c.sensitive} />
        </>
      ) : null}
    </li>
  );
}

/** The catalogs: every catalog (`*`) first, then `ed.first` and any with a mode in this layer, then the rest folded. */
export function CatalogChoices(props: { ed: LayerEditor }) {
  const { ed } = props;
  const isFirst = (c: CatalogChoice) => ed.first.includes(c.id) || ed.spec.catalogs?.[c.id] !== undefined || ed.spec.sensitive?.[c.id] !== undefined;
  const first = ed.catalogs.filter(isFirst).sort((a, b) => rank(ed.first, a.id) - rank(ed.first, b.id));
  const rest = ed.catalogs.filter((c) => !isFirst(c));
  return (
    <>
      <ul class="catalogs">
        <li class="catalog">
          <Choice ed={ed} label="Every catalog" current={ed.spec.catalogs?.['*']} inherited={undefined} values={['block', 'observe', 'off']} set={(v) => withMode(ed.spec, 'catalogs', '*', v as string | undefined)} />
        </li>
        {first.map((c) => <CatalogRow ed={ed} c={c} />)}
      </ul>
      {rest.length > 0 ? (
        <details>
          <summary>{`Other catalogs (${rest.length})`}</summary>
          <ul class="catalogs">{rest.map((c) => <CatalogRow ed={ed} c={c} />)}</ul>
        </details>
      ) : null}
    </>
  );
}

const rank = (order: string[], id: string) => (order.includes(id) ? order.indexOf(id) : order.length);

/** The switches of a layer. */
export function Switches(props: { ed: LayerEditor }) {
  const { ed } = props;
  const { spec, inherited } = ed;
  const on = [true, false] as const;
  return (
    <>
      <Choice ed={ed} label="Observe only (log, block nothing)" current={spec.observe} inherited={inherited.observe} values={on} set={(v) => withField(spec, 'observe', v)} />
      <Choice ed={ed} label="Block everything" current={spec.blockAll} inherited={inherited.blockAll !== null} values={on} set={(v) => withField(spec, 'blockAll', v)} />
      <Choice ed={ed} label="SafeSearch" current={spec.safeSearch} inherited={inherited.safeSearch} values={['off', 'moderate', 'strict']} set={(v) => withField(spec, 'safeSearch', v)} />
      <Choice ed={ed} label="Block public DoH resolvers" current={spec.blockDoh} inherited={inherited.blockDoh} values={on} set={(v) => withField(spec, 'blockDoh', v)} />
      <Choice ed={ed} label="Query log" current={spec.logMode} inherited={inherited.logMode} values={['full', 'anonymous', 'off']} set={(v) => withField(spec, 'logMode', v)} />
      <p class="muted">Query log <b>anonymous</b> keeps the names asked but not which device asked (guests); <b>off</b> keeps nothing.</p>
    </>
  );
}
