import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { startAdminServer, type AdminServer } from '../../src/web/server.js';

describe('startAdminServer', () => {
  const started: AdminServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  });

  it('listens on an ephemeral port, serves the app and closes', async () => {
    const app = new Hono().get('/ping', (c) => c.text('pong'));
    const server = await startAdminServer(app, { host: '127.0.0.1', port: 0 });
    started.push(server);
    expect(server.port).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.1:${server.port}/ping`);
    expect(await res.text()).toBe('pong');
  });

  it('rejects with a clear message when the port is taken', async () => {
    const app = new Hono();
    const first = await startAdminServer(app, { host: '127.0.0.1', port: 0 });
    started.push(first);
    await expect(startAdminServer(app, { host: '127.0.0.1', port: first.port })).rejects.toThrow(
      `admin server: cannot listen on 127.0.0.1:${first.port}: EADDRINUSE`,
    );
  });
});
