/**
 * /api/policy, /api/groups, /api/rules, /api/lists, /api/catalogs, /api/pause, /api/allow
 * (docs/api.md). Thin: parse, call src/policy/policy-admin.ts, answer. Every change is logged.
 */
import type { Context, Hono } from 'hono';
import type { Level } from '../../log.js';
import type { Outcome, PolicyAdmin } from '../../policy/policy-admin.js';
import { readJsonValue } from '../body.js';
import type { AdminEnv } from '../context.js';
import { apiError } from '../errors.js';

export interface PolicyRouteDeps {
  admin: PolicyAdmin;
  /** Status of subscribed lists, and a way to update one now (absent: lists are not managed here). */
  lists?: { statuses(): unknown[]; refresh(id?: string): Promise<unknown> };
  log: (level: Level, message: string) => void;
}

const CODES = { 400: 'bad_request', 404: 'not_found', 409: 'conflict' } as const;

/** Adds the policy routes. */
export function policyRoutes(app: Hono<AdminEnv>, deps: PolicyRouteDeps): void {
  const { admin, log } = deps;
  const answer = (c: Context, o: Outcome, what: string, status: 200 | 201 = 200) => {
    if (!o.ok) return apiError(c, o.status, CODES[o.status], o.message);
    log('info', `admin: ${what}`);
    return o.value === null ? c.body(null, 204) : c.json(o.value as object, status);
  };
  const withBody = (fn: (c: Context, body: unknown) => Response) => async (c: Context) => {
    const body = await readJsonValue(c);
    return body.ok ? fn(c, body.value) : body.response;
  };
  const id = (c: Context) => c.req.param('id') ?? '';
  const checkedId = (c: Context, fn: (id: string) => Response) => (admin.isId(id(c)) ? fn(id(c)) : apiError(c, 400, 'bad_request', 'id: a short id (a-z, 0-9, - and _, up to 40)'));

  app.get('/api/policy', (c) => c.json(admin.view()));
  app.put('/api/policy/household', withBody((c, b) => answer(c, admin.setHousehold(b), 'household policy changed')));
  app.post('/api/policy/restore', withBody((c, b) => answer(c, admin.restore(b), 'policy restored from a backup')));
  app.get('/api/policy/explain', (c) => {
    const name = c.req.query('name') ?? '';
    return answer(c, admin.explain(name, c.req.query('device') || null), `explain ${name}`);
  });

  app.put('/api/groups/:id', withBody((c, b) => checkedId(c, (g) => answer(c, admin.putGroup(g, b), `group ${g} saved`))));
  app.delete('/api/groups/:id', (c) => answer(c, admin.deleteGroup(id(c)), `group ${id(c)} deleted`));
  app.put('/api/devices/:id/policy', withBody((c, b) => answer(c, admin.setDevice(id(c).toLowerCase(), b), `device ${id(c)} policy changed`)));
  app.delete('/api/devices/:id/policy', (c) => answer(c, admin.setDevice(id(c).toLowerCase(), null), `device ${id(c)} policy cleared`));
  // A read: answered like the others but not logged (the device page asks on every view).
  app.get('/api/devices/:id/policy/effective', (c) => {
    const o = admin.effective(id(c).toLowerCase(), c.req.query('inherited') === '1');
    return o.ok ? c.json(o.value) : apiError(c, o.status, CODES[o.status], o.message);
  });

  app.get('/api/rules', (c) => {
    const { rules, ruleErrors } = admin.view();
    return c.json({ rules, errors: ruleErrors });
  });
  app.put('/api/rules/:id', withBody((c, b) => checkedId(c, (r) => answer(c, admin.putRule(r, b), `rule ${r} saved`))));
  app.delete('/api/rules/:id', (c) => answer(c, admin.deleteRule(id(c)), `rule ${id(c)} deleted`));

  app.get('/api/catalogs', (c) => c.json({ catalogs: admin.catalogs() }));

  app.get('/api/lists', (c) => c.json({ lists: admin.view().lists, status: deps.lists?.statuses() ?? [] }));
  app.put('/api/lists/:id', withBody((c, b) => checkedId(c, (l) => answer(c, admin.putList(l, b), `list ${l} saved`))));
  app.delete('/api/lists/:id', (c) => answer(c, admin.deleteList(id(c)), `list ${id(c)} deleted`));
  app.post('/api/lists/:id/refresh', async (c) => {
    if (!deps.lists) return apiError(c, 404, 'not_found', 'lists are not managed by this instance');
    if (!admin.view().lists.some((l) => l.id === id(c))) return apiError(c, 404, 'not_found', `no list ${id(c)}`);
    void deps.lists.refresh(id(c)); // runs in the background: the status shows progress
    log('info', `admin: list ${id(c)} update requested`);
    return c.json({ accepted: true }, 202);
  });

  app.post(
    '/api/pause',
    withBody((c, b) => {
      const { target, minutes } = (b ?? {}) as { target?: unknown; minutes?: unknown };
      if (typeof target !== 'string' || typeof minutes !== 'number') return apiError(c, 400, 'bad_request', 'body: { target: "household" or a device id, minutes }');
      return answer(c, admin.pause(target.toLowerCase(), minutes), `pause ${target} for ${minutes} min`);
    }),
  );
  app.post(
    '/api/allow',
    withBody((c, b) => {
      const { device, name, minutes } = (b ?? {}) as { device?: unknown; name?: unknown; minutes?: unknown };
      if (typeof device !== 'string' || typeof name !== 'string' || typeof minutes !== 'number') return apiError(c, 400, 'bad_request', 'body: { device, name, minutes }');
      return answer(c, admin.allow(device.toLowerCase(), name, minutes), `allow ${name} for ${device} for ${minutes} min`);
    }),
  );
}
