/**
 * One device: what is known about it, a rename box, its policy (device-policy.tsx: group, pause,
 * what is in effect, its own layer), and the sections stats and geo feed (device-sections.tsx). Wrapped in data-device so a rename updates the heading in place.
 */
import { Mac, RenameForm, Seen } from './device-parts.js';
import { DevicePolicySection } from './device-policy.js';
import { Destinations, RecentBlocked, Reports } from './device-sections.js';
import { Layout } from './layout.js';
import type { DeviceDetailProps } from './view-models.js';

/** The device page. */
export function DeviceDetailPage(props: DeviceDetailProps) {
  const d = props.device;
  return (
    <Layout title={d.displayName} active="/devices">
      <div data-device={d.id}>
        <p>
          <a href="/devices">← Devices</a>
        </p>
        <h1 class="name" data-bind="displayName">
          {d.displayName}
        </h1>
        <section class="card" aria-labelledby="about">
          <h2 id="about">About</h2>
          <div class="table-wrap">
            <table class="kv">
              <tbody>
                <tr><th scope="row">DHCP name</th><td>{d.dhcpName ?? <span class="muted">none</span>}</td></tr>
                <tr><th scope="row">Vendor</th><td>{d.vendor ?? <span class="muted">unknown</span>}</td></tr>
                <tr><th scope="row">MAC</th><td><Mac device={d} /></td></tr>
                <tr><th scope="row">Addresses</th><td>{d.ips.map((ip) => <div class="mono ip">{ip}</div>)}</td></tr>
                <tr><th scope="row">First seen</th><td><Seen now={props.now} at={d.firstSeen} /></td></tr>
                <tr><th scope="row">Last seen</th><td><Seen now={props.now} at={d.lastSeen} /></td></tr>
                <tr><th scope="row">Group</th><td>{d.policy ?? <span class="muted">household default</span>}</td></tr>
                <tr><th scope="row">Suggested catalogs</th><td>{d.suggested.length ? d.suggested.join(', ') : <span class="muted">none</span>}</td></tr>
              </tbody>
            </table>
          </div>
          <h2>Rename</h2>
          <RenameForm device={d} uid="detail" />
        </section>
      </div>
      {props.policy ? <DevicePolicySection p={props.policy} now={props.now} name={d.displayName} /> : null}
      <section class="card" aria-labelledby="talks">
        <h2 id="talks">What this device talks to</h2>
        <Destinations rows={props.destinations} endpoints={props.endpoints} />
      </section>
      <div class="grid">
        <section class="card" aria-labelledby="blocked">
          <h2 id="blocked">Recently blocked</h2>
          <RecentBlocked names={props.recentBlocked} now={props.now} endpoints={props.endpoints} />
        </section>
        <section class="card" aria-labelledby="reports">
          <h2 id="reports">Phone-home reports</h2>
          <Reports links={props.reports} />
        </section>
      </div>
    </Layout>
  );
}
