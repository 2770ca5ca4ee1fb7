/**
 * Devices: every device of the house, most recently seen first, with an inline rename. On a phone
 * the table turns into one card per device (CSS only: `table.stack` and the data-label cells).
 */
import { deviceHref } from './format.js';
import { Mac, RenameForm, Seen } from './device-parts.js';
import { Layout } from './layout.js';
import type { DeviceSummary, DevicesPageProps } from './view-models.js';

function Row(props: { device: DeviceSummary; now: number; uid: string }) {
  const d = props.device;
  return (
    <tr data-device={d.id}>
      <td>
        <a class="name" href={deviceHref(d.id)} data-bind="displayName">
          {d.displayName}
        </a>
        {d.dhcpName && d.dhcpName !== d.displayName ? <div class="muted">{`DHCP: ${d.dhcpName}`}</div> : null}
      </td>
      <td data-label="Vendor">{d.vendor ?? <span class="muted">unknown</span>}</td>
      <td data-label="MAC">
        <Mac device={d} />
      </td>
      <td data-label="IPs">
        {d.ips.slice(0, 3).map((ip) => (
          <div class="mono ip">{ip}</div>
        ))}
        {d.ips.length > 3 ? <div class="muted">{`+${d.ips.length - 3} more`}</div> : null}
      </td>
      <td data-label="Last seen">
        <Seen now={props.now} at={d.lastSeen} />
      </td>
      <td data-label="Policy">{d.policy ?? <span class="muted">default</span>}</td>
      <td>
        <RenameForm device={d} uid={props.uid} />
      </td>
    </tr>
  );
}

/** The devices list. */
export function DevicesPage(props: DevicesPageProps) {
  return (
    <Layout title="Devices" active="/devices">
      <h1>Devices</h1>
      <div class="card">
        {props.devices.length === 0 ? (
          <p class="empty">No device has asked anything yet. Devices appear here after their first DNS query.</p>
        ) : (
          <div class="table-wrap">
            <table class="stack">
              <caption class="vh">Devices, most recently seen first</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Vendor</th>
                  <th scope="col">MAC</th>
                  <th scope="col">IPs</th>
                  <th scope="col">Last seen</th>
                  <th scope="col">Policy</th>
                  <th scope="col">Rename</th>
                </tr>
              </thead>
              <tbody>
                {props.devices.map((d, i) => (
                  <Row device={d} now={props.now} uid={String(i)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </Layout>
  );
}
