/**
 * A navigation entry whose page is not built yet: says so instead of a bare 404, so the menu works
 * from the first version and each page replaces its placeholder when it lands.
 */
import { BareLayout, Layout, type NavHref } from './layout.js';

/** Props of PlaceholderPage. */
export interface PlaceholderPageProps {
  title: string;
  active: NavHref;
}

/** "Coming in a later version". */
export function PlaceholderPage(props: PlaceholderPageProps) {
  return (
    <Layout title={props.title} active={props.active}>
      <h1>{props.title}</h1>
      <div class="card">
        <p class="empty">This page is not available in this version yet. The JSON API (docs/api.md) has what exists today.</p>
      </div>
    </Layout>
  );
}

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
