/**
 * First start: no admin password yet. The owner copies the one-time code from the router log and
 * chooses a password (POST /api/setup through admin.js), then logs in.
 */
import { MIN_PASSWORD_LENGTH } from '../password.js';
import { BareFormEnd, BareLayout } from './layout.js';

/** Props of SetupPage. */
export interface SetupPageProps {
  /** False when no code was issued (the password was set when telemute started, or admin.json is unreadable). */
  hasCode: boolean;
}

/** The setup form. */
export function SetupPage(props: SetupPageProps) {
  return (
    <BareLayout title="Set up">
      <div class="card">
        <h1>Welcome to telemute</h1>
        <p>
          Choose the admin password. To prove this is your router, enter the setup code from its log: on the router run{' '}
          <code>logread -e telemute | grep setup</code>.
        </p>
        {props.hasCode ? null : (
          <p class="notice">No setup code is active: restart telemute to print one, or run <code>telemute passwd</code> on the router.</p>
        )}
        <form data-api="/api/setup" data-then="go:/login?set=1" method="post" action="/setup">
          <label for="code">Setup code</label>
          <input id="code" name="code" autocomplete="one-time-code" autocapitalize="characters" spellcheck={false} required autofocus />
          <label for="password">New password</label>
          <input id="password" name="password" type="password" autocomplete="new-password" minlength={MIN_PASSWORD_LENGTH} required />
          <label for="repeat">Repeat it</label>
          <input id="repeat" data-same-as="password" type="password" autocomplete="new-password" required />
          <p class="muted">At least {MIN_PASSWORD_LENGTH} characters.</p>
          <BareFormEnd submit="Set password" />
        </form>
      </div>
    </BareLayout>
  );
}
