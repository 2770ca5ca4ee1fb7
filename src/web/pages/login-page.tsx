/**
 * The login page. The form posts to /api/login through admin.js (JSON, see layout.tsx); a wrong
 * password, the rate limit and "no password yet" come back as the API's error message.
 */
import { BareFormEnd, BareLayout } from './layout.js';

/** Props of LoginPage. */
export interface LoginPageProps {
  /** Local path to open after login (already checked with safeNext). */
  next: string;
  /** Shown after the setup page set the first password. */
  isJustSetUp?: boolean;
}

/** The login form. */
export function LoginPage(props: LoginPageProps) {
  return (
    <BareLayout title="Log in">
      <div class="card">
        <h1>telemute</h1>
        {props.isJustSetUp ? <p class="notice">Password set. Log in with it.</p> : null}
        <form data-api="/api/login" data-then={`go:${props.next}`} method="post" action="/login">
          <label for="password">Admin password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required autofocus />
          <BareFormEnd submit="Log in" />
        </form>
      </div>
      <p class="muted">
        Forgot it? On the router, run <code>telemute passwd</code>.
      </p>
    </BareLayout>
  );
}
