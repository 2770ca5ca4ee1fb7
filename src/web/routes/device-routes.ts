/**
 * /api/devices: the devices of the house (docs/api.md). Thin: validation here, the rules in
 * src/devices/registry.ts. Names that came from the network (DHCP hostnames) are returned as
 * they are; escaping them is the view's job.
 */
import type { Hono } from 'hono';
import type { Level } from '../../log.js';
import { displayName, type Device, type Registry } from '../../devices/registry.js';
import { readJson } from '../body.js';
import type { AdminEnv } from '../context.js';
import { apiError } from '../errors.js';
import { isDeviceId } from '../../devices/registry.js';

export interface DeviceRouteDeps {
  devices: Registry;
  log: (level: Level, message: string) => void;
}

/** Printable, no control characters: names end up in logs, HTML and CSV. */
const NAME = /^[^\p{Cc}]*$/u;

/** A device as the API and the pages show it: the record and the name to display. */
export const deviceView = (d: Device) => ({ ...d, displayName: displayName(d) });

/** The registry's devices, the most recently seen first (the order of every device list). */
export const newestFirst = (devices: Registry): Device[] => devices.list().sort((a, b) => b.lastSeen - a.lastSeen);

/** Adds the device routes. */
export function deviceRoutes(app: Hono<AdminEnv>, deps: DeviceRouteDeps): void {
  const { devices, log } = deps;

  app.get('/api/devices', (c) => c.json({ devices: newestFirst(devices).map(deviceView) }));

  app.get('/api/devices/:id', (c) => {
    const d = devices.get(c.req.param('id').toLowerCase());
    return d ? c.json(deviceView(d)) : apiError(c, 404, 'not_found', `No device ${c.req.param('id')}`);
  });

  app.patch('/api/devices/:id', async (c) => {
    const id = c.req.param('id').toLowerCase();
    if (!isDeviceId(id)) return apiError(c, 400, 'bad_request', 'id: a MAC address (aa:bb:cc:dd:ee:ff), router or ip:ADDRESS');
    const body = await readJson(c, {
      name: { type: 'string', optional: true, maxLength: 64, pattern: NAME },
      policy: { type: 'string', optional: true, maxLength: 64, pattern: NAME },
      mergeInto: { type: 'string', optional: true, maxLength: 64 },
    });
    if (!body.ok) return body.response;
    const b = body.value;
    // An empty string clears the field.
    const change = {
      ...(b.name !== undefined && { name: b.name.trim() || null }),
      ...(b.policy !== undefined && { policy: b.policy || null }),
      ...(b.mergeInto !== undefined && { mergeInto: b.mergeInto.toLowerCase() || null }),
    };
    const result = devices.update(id, change);
    if (typeof result === 'string') return apiError(c, result.startsWith('no device') ? 404 : 400, result.startsWith('no device') ? 'not_found' : 'bad_request', result);
    log('info', `admin: device ${id} updated (${Object.keys(change).join(', ')})`);
    return c.json(deviceView(result));
  });
}
