/**
 * Pieces the managing pages share: a choice of modes as a row of buttons, each a form sending
 * a whole new body (data-base: the server computes it, admin.js sends it as is), a one-button
 * form, and a catalog's sensitive entries with their notes. Bodies are JSON in an attribute: JSX
 * escapes it, and admin.js reads it with JSON.parse, so a hostile name inside stays data.
 */
import type { Child } from 'hono/jsx';

/** A button that sends `body` to `api` with `method`, then reloads the page. */
export function SendButton(props: { api: string; method?: string; body?: unknown; label: string; aria?: string; class?: string; isPressed?: boolean }) {
  return (
    <form class="inline" data-api={props.api} data-method={props.method ?? 'PUT'} data-base={JSON.stringify(props.body ?? {})} data-then="reload" method="post">
      <button type="submit" class={props.class ?? 'small secondary'} aria-label={props.aria} aria-pressed={props.isPressed === undefined ? undefined : String(props.isPressed)}>
        {props.label}
      </button>
      <span role="alert"></span>
    </form>
  );
}

/**
 * "block | observe | off": the current mode pressed; each other one sends `bodyFor(mode)`.
 * A group with a label, so a screen reader says what the buttons choose.
 */
export function ModeChoice<M extends string>(props: { label: string; modes: readonly M[]; current: M; api: string; bodyFor: (mode: M) => unknown }) {
  return (
    <div class="choice" role="group" aria-label={props.label}>
      {props.modes.map((m) => (
        <SendButton api={props.api} body={props.bodyFor(m)} label={m} aria={`${props.label}: ${m}`} isPressed={m === props.current} class={m === props.current ? 'small' : 'small secondary'} />
      ))}
    </div>
  );
}

/** A catalog's sensitive entries, folded under `summary`: each pattern with what blocking it costs. */
export function SensitiveNotes(props: { summary: string; entries: readonly { pattern: string; note: string }[] }) {
  return (
    <details>
      <summary>{props.summary}</summary>
      <ul class="notes">
        {props.entries.map((e) => (
          <li><code>{e.pattern}</code> — {e.note}</li>
        ))}
      </ul>
    </details>
  );
}

/** A labelled empty state or the content. */
export function OrEmpty(props: { when: boolean; message: string; children?: Child }) {
  return props.when ? <>{props.children}</> : <p class="empty">{props.message}</p>;
}
