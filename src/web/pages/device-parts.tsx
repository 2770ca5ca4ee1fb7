/**
 * Pieces the device list and the device page share: the MAC with its private-address marker, the
 * last-seen time, and the rename form (PATCH /api/devices/:id through admin.js).
 */
import { ago, isoTime } from './format.js';
import type { DeviceSummary } from './view-models.js';

/** The API URL of a device (ids hold ':' and could hold anything, hence the encoding). */
export function deviceApi(id: string): string {
  return `/api/devices/${encodeURIComponent(id)}`;
}

/** MAC address, or "—"; a randomised MAC is marked, since it has no vendor and may change. */
export function Mac(props: { device: DeviceSummary }) {
  const d = props.device;
  if (!d.mac) return <span class="muted">—</span>;
  return (
    <span>
      <code>{d.mac}</code>
      {d.isPrivate ? (
        <>
          {' '}
          <span class="badge private" title="Randomised (private) Wi-Fi address: no vendor, may change">
            private
          </span>
        </>
      ) : null}
    </span>
  );
}

/** "5 min ago", with the exact time for machines and on hover. */
export function Seen(props: { now: number; at: number }) {
  const iso = isoTime(props.at);
  return (
    <time datetime={iso} title={iso}>
      {ago(props.now, props.at)}
    </time>
  );
}

/** The inline rename form; `uid` makes the input id unique on the page. */
export function RenameForm(props: { device: DeviceSummary; uid: string }) {
  const d = props.device;
  const input = `rename-${props.uid}`;
  return (
    <form class="inline" data-api={deviceApi(d.id)} data-method="PATCH" data-then="rename" method="post">
      <label class="vh" for={input}>{`New name for ${d.displayName}`}</label>
      <input id={input} name="name" value={d.name ?? ''} placeholder={d.dhcpName ?? 'Name'} maxlength={64} />
      <button type="submit" class="small">
        Save
      </button>
      <span class="status" role="status"></span>
      <span role="alert"></span>
    </form>
  );
}
