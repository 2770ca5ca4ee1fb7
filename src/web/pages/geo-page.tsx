/**
 * Geo policy: per layer (household, each group, each device with its own policy) the rules on
 * where answers point (country, network) and who registered the domain, and what to do on a match:
 * flag it in the log, strip the matching addresses from the answer, or block the name. Each layer
 * is saved whole through its own PUT (household, group, device policy), as the policy API wants.
 */
import { Layout } from './layout.js';
import { OrEmpty, SendButton } from './manage-parts.js';
import type { GeoLayer, GeoProps, GeoRuleView } from './manage-models.js';
import { freeId } from './rules-page.js';

const ACTIONS = [
  ['flag', 'flag: log it, change nothing'],
  ['strip', 'strip: drop the matching addresses'],
  ['block', 'block the name'],
] as const;

/** The base with the list at `path` replaced (path: 'geo' or 'spec.geo'). */
function withRules(base: unknown, path: string, rules: GeoRuleView[]): unknown {
  const copy = JSON.parse(JSON.stringify(base ?? {})) as Record<string, unknown>;
  const keys = path.split('.');
  let at = copy;
  for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
  at[keys[keys.length - 1]] = rules;
  return copy;
}

function what(r: GeoRuleView): string {
  const parts = [
    r.countries?.length ? `answers in ${r.countries.join(', ')}` : '',
    r.asns?.length ? `networks ${r.asns.map((a) => `AS${a}`).join(', ')}` : '',
    r.registrantCountries?.length ? `registered in ${r.registrantCountries.join(', ')}` : '',
    r.registrantOrgs?.length ? `registrant ${r.registrantOrgs.join(', ')}` : '',
  ];
  return parts.filter(Boolean).join('; or ');
}

function Layer(props: { layer: GeoLayer; n: number }) {
  const { layer } = props;
  const uid = `geo-${props.n}`;
  return (
    <section class="card" aria-labelledby={uid}>
      <h2 id={uid}>{layer.label}</h2>
      <OrEmpty when={layer.rules.length > 0} message="No geo rules here.">
        <ul class="rules">
          {layer.rules.map((r) => (
            <li class="row">
              <span><span class={`badge ${r.action === 'flag' ? 'flagged' : 'blocked'}`}>{r.action}</span> {what(r)}</span>
              <SendButton api={layer.api} body={withRules(layer.base, layer.path, layer.rules.filter((x) => x.id !== r.id))} label="Delete" aria={`Delete geo rule ${r.id}`} class="small danger" />
            </li>
          ))}
        </ul>
      </OrEmpty>
      <details>
        <summary>Add a rule</summary>
        <form data-api={layer.api} data-method="PUT" data-base={JSON.stringify(layer.base ?? {})} data-append={layer.path} data-then="reload" method="post">
          <div class="fields">
            <label>Action<select name="action">{ACTIONS.map(([v, l]) => <option value={v}>{l}</option>)}</select></label>
            <label>Answer countries<input name="countries" data-type="codes" placeholder="CN, RU" /></label>
            <label>Networks (AS numbers)<input name="asns" data-type="numbers" placeholder="64500" /></label>
            <label>Registrant countries<input name="registrantCountries" data-type="codes" placeholder="CN" /></label>
            <label class="wide">Registrant organisations<input name="registrantOrgs" data-type="list" placeholder="Example Ltd" /></label>
            <input type="hidden" name="id" value={freeId(layer.rules.map((r) => r.id), 'geo')} />
          </div>
          <p class="muted">Separate several with commas. A rule needs at least one country, network or registrant.</p>
          <p role="alert"></p>
          <div class="actions"><button type="submit">Add geo rule</button></div>
        </form>
      </details>
    </section>
  );
}

/**
 * The switch for registration lookups, with what it costs in privacy: off by default, one click
 * turns it on (issue 6), and the owner reads first what leaves the house.
 */
function Registration(props: { state: NonNullable<GeoProps['registration']> }) {
  const { isOn, canSwitch } = props.state;
  return (
    <section class="card" aria-labelledby="geo-registration">
      <h2 id="geo-registration">Who registered the names</h2>
      <p>
        Registration lookups are <strong>{isOn ? 'on' : 'off'}</strong>. When on, telemute asks the registries (RDAP; WHOIS for .cn and .ru
        if configured) who registered each domain the house talks to, at most one lookup every 2 seconds, and keeps the answers for 30
        days. <strong>Privacy:</strong> this sends the domain names your devices use — never which device asked — to the registries of
        those domains. Rules on registrant countries or organisations need it.
      </p>
      {canSwitch ? (
        <SendButton api="/api/geo/registration" body={{ enabled: !isOn }} label={isOn ? 'Turn registration lookups off' : 'Turn registration lookups on'} class={isOn ? 'small secondary' : 'small'} />
      ) : (
        <p class="muted">Not available here (geography or the volatile store is off).</p>
      )}
    </section>
  );
}

/** The geo policy page. */
export function GeoPage(props: GeoProps) {
  return (
    <Layout title="Geo policy" active="/geo">
      <h1>Geo policy</h1>
      <p class="muted">
        Where the answers point comes from the addresses (IP geolocation by DB-IP), who registered the domain from RDAP. Each layer holds its
        own rules: the household's for every device, a group's for its members, a device's for that device.
      </p>
      {props.registration ? <Registration state={props.registration} /> : null}
      <OrEmpty when={props.layers !== undefined} message="The policy engine is not running in this instance.">
        {(props.layers ?? []).map((l, i) => <Layer layer={l} n={i} />)}
      </OrEmpty>
    </Layout>
  );
}
