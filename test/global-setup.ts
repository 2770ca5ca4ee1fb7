// Builds the bundle once before any suite that runs it (e2e, openwrt), if it is missing or stale.
import { ensureBuilt } from './helpers/telemute.js';

export default async function setup(): Promise<void> {
  await ensureBuilt();
}
