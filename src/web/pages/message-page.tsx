/**
 * A plain message page: a device that is not there, a part that is not running, or a form sent
 * without JavaScript.
 */
import { BareLayout, Layout } from './layout.js';

/** A plain message page (no navigation): not found, or a form sent without JavaScript. */
export function MessagePage(props: { title: string; message: string; signedIn: boolean }) {
  const body = (
    <>
      <h1>{props.title}</h1>
      <div class="card">
        <p>{props.message}</p>
        <p>
          <a href="/">Back to the dashboard</a>
        </p>
      </div>
    </>
  );
  return props.signedIn ? <Layout title={props.title}>{body}</Layout> : <BareLayout title={props.title}>{body}</BareLayout>;
}
