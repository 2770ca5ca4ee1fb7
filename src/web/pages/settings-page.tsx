/**
 * Settings: the running settings, read-only, each with the `uci` command that changes it (they
 * are read at startup, so a change needs `uci commit` and a restart), the admin password change
 * (POST /api/password: it asks for the current password, so a borrowed session cannot lock the
 * owner out), and the attributions the data licences ask for.
 */
import { Layout } from './layout.js';
import type { SettingsProps } from './manage-models.js';

/** The settings page. */
export function SettingsPage(props: SettingsProps) {
  return (
    <Layout title="Settings" active="/settings">
      <h1>Settings</h1>
      <section class="card" aria-labelledby="password">
        <h2 id="password">Admin password</h2>
        <form data-api="/api/password" data-then="say:Password changed. Other browsers are signed out." method="post">
          <div class="fields">
            <label for="pw-current">Current password<input id="pw-current" name="current" type="password" autocomplete="current-password" required /></label>
            <label for="pw-new">New password<input id="pw-new" name="password" type="password" autocomplete="new-password" required minlength={8} /></label>
            <label for="pw-repeat">Repeat the new password<input id="pw-repeat" type="password" autocomplete="new-password" required data-same-as="password" /></label>
          </div>
          <p class="muted">At least 8 characters. Changing it signs out every other browser; API tokens keep working. On the router, <code>telemute passwd</code> does the same without the current password.</p>
          <p role="alert"></p>
          <div class="actions"><button type="submit">Change password</button><span class="status" role="status"></span></div>
        </form>
      </section>
      <section class="card" aria-labelledby="running">
        <h2 id="running">Running settings</h2>
        <p class="muted">
          Change them on the router over SSH, then apply with <code>uci commit telemute &amp;&amp; /etc/init.d/telemute restart</code>. A
          section that does not exist yet is created with <code>uci set telemute.NAME=NAME</code> (e.g. <code>uci set telemute.log=log</code>).
          Forwarded domains and local records (<code>config forward</code>, <code>config record</code>) are edited in /etc/config/telemute.
        </p>
        {props.rows ? (
          props.rows.map((s) => (
            <div class="table-wrap">
              <table class="stack settings">
                <caption>{s.section}</caption>
                <thead><tr><th scope="col">Option</th><th scope="col">Value</th><th scope="col">Command</th></tr></thead>
                <tbody>
                  {s.rows.map((r) => (
                    <tr><th scope="row"><code>{r.key}</code></th><td data-label="Value">{r.value}</td><td data-label="Command"><code class="cmd">{r.command}</code></td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))
        ) : (
          <p class="empty">The settings are not available to this admin instance.</p>
        )}
      </section>
      <section class="card" aria-labelledby="credits">
        <h2 id="credits">Data sources</h2>
        <p>
          <a href="https://db-ip.com" rel="noreferrer">IP geolocation by DB-IP</a> (
          <a href="https://creativecommons.org/licenses/by/4.0/" rel="noreferrer">CC BY 4.0</a>).
        </p>
      </section>
    </Layout>
  );
}
