/**
 * Backup: download one JSON file (policy, groups, rules, lists, the devices' names and groups;
 * never the password or tokens), and restore one: choose the file, see what would change
 * (POST /api/backup/preview), then confirm (POST /api/backup/restore). admin.js reads the file in
 * the browser and sends it as JSON; the preview is drawn with textContent only.
 */
import { Layout } from './layout.js';

/** The backup page. `isAvailable` false: no policy engine, nothing to back up. */
export function BackupPage(props: { isAvailable: boolean }) {
  return (
    <Layout title="Backup" active="/backup">
      <h1>Backup</h1>
      {props.isAvailable ? (
        <>
          <section class="card" aria-labelledby="download">
            <h2 id="download">Download</h2>
            <p>One JSON file with the household policy, groups, per-device policies, rules, list subscriptions and the names and groups you gave devices. It holds no password and no API tokens.</p>
            <p><a class="button" href="/api/backup" download>Download backup</a></p>
          </section>
          <section class="card" aria-labelledby="restore">
            <h2 id="restore">Restore</h2>
            <form data-backup method="post">
              <label for="backup-file">Backup file</label>
              <input id="backup-file" name="file" type="file" accept="application/json,.json" required />
              <p role="alert" aria-live="assertive"></p>
              <div class="actions"><button type="submit">Check file</button></div>
              <div class="preview" hidden>
                <h3>What a restore would change</h3>
                <ul data-preview></ul>
                <p class="muted">The whole policy is replaced by the file’s. Devices not in the file keep their names; devices in the file that this router does not know are skipped.</p>
                <div class="actions">
                  <button type="button" class="danger" data-restore>Restore this backup</button>
                  <span class="status" role="status"></span>
                </div>
              </div>
            </form>
          </section>
        </>
      ) : (
        <div class="card"><p class="empty">The policy engine is not running in this instance: there is nothing to back up.</p></div>
      )}
    </Layout>
  );
}
