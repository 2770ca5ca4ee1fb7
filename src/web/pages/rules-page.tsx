/**
 * Rules: the owner's own block and allow rules (syntax in src/policy/rules.ts), each with its
 * scope and, when it did not compile, the compiler's message beside it; delete per rule; a form to
 * add one (PUT /api/rules/:id, the id typed or suggested).
 */
import { Layout } from './layout.js';
import { OrEmpty, SendButton } from './manage-parts.js';
import type { RulesProps } from './manage-models.js';

const SYNTAX = [
  ['example.org', 'the name and its subdomains'],
  ['|example.org^', 'that name only'],
  ['ads*.example.org', '* within one label'],
  ['/^ad[0-9]+\\.example\\.org$/', 'a regular expression (safe subset)'],
  ['@@example.org', 'allow: beats every block rule'],
] as const;

/** The first `prefix-N` not taken: a suggestion the owner may overwrite. */
export function freeId(ids: readonly string[], prefix: string): string {
  const taken = new Set(ids);
  let n = 1;
  while (taken.has(`${prefix}-${n}`)) n++;
  return `${prefix}-${n}`;
}

/** The rules page. */
export function RulesPage(props: RulesProps) {
  const errors = new Map(props.errors.map((e) => [e.id, e.message]));
  const label = new Map(props.scopes.map((s) => [s.value, s.label]));
  return (
    <Layout title="Rules" active="/rules">
      <h1>Rules</h1>
      <section class="card" aria-labelledby="rules">
        <h2 id="rules">Your rules</h2>
        <OrEmpty when={props.rules.length > 0} message="No rules yet.">
          <div class="table-wrap">
            <table class="stack">
              <thead><tr><th scope="col">Rule</th><th scope="col">Applies to</th><th scope="col">Comment</th><th scope="col">Change</th></tr></thead>
              <tbody>
                {props.rules.map((r) => (
                  <tr>
                    <td>
                      <code>{r.text}</code>
                      <div class="muted">{`${r.id}${r.enabled ? '' : ' · disabled'}`}</div>
                      {errors.has(r.id) ? <div class="bad" role="note">{`Not in force: ${errors.get(r.id)}`}</div> : null}
                    </td>
                    <td data-label="Applies to">{label.get(r.scope) ?? r.scope}</td>
                    <td data-label="Comment">{r.comment ?? ''}</td>
                    <td><SendButton api={`/api/rules/${encodeURIComponent(r.id)}`} method="DELETE" label="Delete" aria={`Delete rule ${r.text}`} class="small danger" /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </OrEmpty>
      </section>
      <section class="card" aria-labelledby="add-rule">
        <h2 id="add-rule">Add a rule</h2>
        <form data-api="/api/rules/{id}" data-method="PUT" data-then="reload" method="post">
          <div class="fields">
            <label class="wide">Rule<input name="text" required maxlength={512} placeholder="||metrics.example.org^" /></label>
            <label>Applies to
              <select name="scope">{props.scopes.map((s) => <option value={s.value}>{s.label}</option>)}</select>
            </label>
            <label>Id<input name="id" required pattern="[a-z0-9][a-z0-9_\-]{0,39}" value={freeId(props.rules.map((r) => r.id), 'rule')} /></label>
            <label class="wide">Comment<input name="comment" data-optional maxlength={200} /></label>
          </div>
          <p role="alert"></p>
          <div class="actions"><button type="submit">Add rule</button></div>
        </form>
        <details>
          <summary>Rule syntax</summary>
          <table class="kv"><tbody>{SYNTAX.map(([r, what]) => <tr><th scope="row"><code>{r}</code></th><td>{what}</td></tr>)}</tbody></table>
        </details>
      </section>
    </Layout>
  );
}
