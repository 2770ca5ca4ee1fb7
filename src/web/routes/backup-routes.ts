/**
 * GET /api/backup, POST /api/backup/preview and POST /api/backup/restore (docs/api.md). Thin: the
 * file's shape, the preview and the restore live in ../backup.ts. These bodies may exceed the
 * app's 64 KiB limit; app.ts gives these two paths BACKUP_MAX_BYTES instead.
 */
import type { Hono } from 'hono';
import type { Registry } from '../../devices/registry.js';
import type { Level } from '../../log.js';
import type { PolicyAdmin } from '../../policy/policy-admin.js';
import { applyBackup, checkBackup, makeBackup, previewBackup } from '../backup.js';
import { readJsonValue } from '../body.js';
import type { AdminEnv } from '../context.js';
import { apiError } from '../errors.js';

export interface BackupRouteDeps {
  admin: PolicyAdmin;
  devices?: Registry;
  now: () => number;
  log: (level: Level, message: string) => void;
}

/** Paths that take a backup file as their body. */
export const BACKUP_UPLOAD_PATHS = ['/api/backup/preview', '/api/backup/restore'] as const;

/**
 * Largest backup body, bytes. A household's document is a few KB; 500 rules, 50 lists, 100 groups
 * and 300 named devices measure ≈ 150 KB, so 2 MiB leaves room while bounding memory per request.
 */
export const BACKUP_MAX_BYTES = 2 * 1024 * 1024;

/** Adds the backup routes. */
export function backupRoutes(app: Hono<AdminEnv>, deps: BackupRouteDeps): void {
  const { admin, devices, now, log } = deps;

  app.get('/api/backup', (c) => {
    const file = makeBackup(admin, devices, now());
    const day = file.date.slice(0, 10);
    c.header('Content-Disposition', `attachment; filename="telemute-backup-${day}.json"`);
    return c.json(file);
  });

  app.post('/api/backup/preview', async (c) => {
    const body = await readJsonValue(c);
    if (!body.ok) return body.response;
    return c.json(previewBackup(body.value, admin, devices));
  });

  app.post('/api/backup/restore', async (c) => {
    const body = await readJsonValue(c);
    if (!body.ok) return body.response;
    const checked = checkBackup(body.value, admin);
    if (!checked.file) return apiError(c, 400, 'bad_backup', checked.errors.join('; '), { errors: checked.errors });
    const result = applyBackup(checked.file, admin, devices);
    if (!result.ok) return apiError(c, 400, 'bad_backup', result.message, { errors: [result.message] });
    log('info', `admin: restored a backup from ${checked.file.date} (${result.value.devicesUpdated} device(s) updated, ${result.value.devicesSkipped.length} skipped)`);
    return c.json(result.value);
  });
}
