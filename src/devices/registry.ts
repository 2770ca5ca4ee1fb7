/**
 * The devices of the house, keyed by MAC address whatever IP they have today. Lives in RAM (a
 * Map: the identify stage touches it on every query); reaches flash as a small JSON snapshot
 * (devices.json under --state) only when something worth keeping changed — a new device, a name,
 * a policy, a merge — at most once per flush interval, and at a clean shutdown. Last-seen times
 * and current IPs change all the time and ride along with those writes; they never cause one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlashWriter } from '../store/flash.js';
import { shortMac } from './oui.js';

/** A device id as the registry makes them: a lowercase MAC, `router`, or `ip:ADDRESS`. */
const DEVICE_ID = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$|^router$|^ip:[0-9a-f.:]{2,45}$/;

/** True for a device id as the registry makes them (what the policy and the admin accept). */
export function isDeviceId(id: string): boolean {
  return DEVICE_ID.test(id);
}

export interface Device {
  /** MAC (aa:bb:cc:dd:ee:ff), 'router' for this host, or 'ip:ADDRESS' until the MAC is known. */
  id: string;
  mac: string | null;
  /** Name the owner gave; wins over every other name. */
  name: string | null;
  /** Hostname from a DHCP lease. */
  dhcpName: string | null;
  vendor: string | null;
  /** Locally administered MAC: a randomised "private" Wi-Fi address, no vendor. */
  isPrivate: boolean;
  /** Addresses seen, most recent first (at most 8). */
  ips: string[];
  firstSeen: number;
  lastSeen: number;
  /** Policy or group reference (the policy engine fills its meaning). */
  policy: string | null;
  /** When the owner merged this device into another (same phone, new private MAC). */
  mergedInto: string | null;
  /** Vendor catalogs suggested from vendor and names. */
  suggested: string[];
}

export interface RegistryOptions {
  flash: FlashWriter | null;
  vendorOf: (mac: string) => { vendor: string | null; isPrivate: boolean };
  suggest: (d: Pick<Device, 'vendor' | 'dhcpName' | 'name'>) => string[];
  /** Most devices kept; the oldest IP-only entries go first (a scan must not grow memory). */
  maxDevices?: number;
}

export interface Registry {
  /**
   * The device for an id, creating it on first sight; records the address and time (per query:
   * cheap). A merged device answers as the device it was merged into.
   */
  seen(id: string, mac: string | null, ip: string, now: number): Device;
  get(id: string): Device | undefined;
  list(): Device[];
  /** DHCP hostnames by MAC, from the lease files. */
  setDhcpNames(names: Map<string, string>): void;
  /** Owner's changes; null clears. Returns the device, or an error message. */
  update(id: string, change: { name?: string | null; policy?: string | null; mergeInto?: string | null }): Device | string;
  /** Writes the snapshot if anything worth keeping changed (or `force`). */
  flush(force?: boolean): Promise<number>;
  /** Every device worth keeping, as JSON (the snapshot's content). */
  serialize(): string;
  /** Takes devices from a newer copy (the volatile store after a restart): newer wins, per device. */
  absorb(json: string): number;
  /** The name to show: owner's > DHCP > vendor + last MAC bytes. */
  displayName(d: Device): string;
}

const SNAPSHOT = 'devices.json';
const MAX_IPS = 8;

/** Creates the registry, loading the last snapshot from the flash directory if there is one. */
export function createRegistry(options: RegistryOptions): Registry {
  const devices = new Map<string, Device>();
  const maxDevices = options.maxDevices ?? 1024;
  let dirty = false;
  /** The last lease names: a device first seen after the lease file was read still gets its name. */
  let dhcpNames = new Map<string, string>();

  for (const d of loadSnapshot(options.flash?.dir)) devices.set(d.id, d);

  function create(id: string, mac: string | null, ip: string, now: number): Device {
    const v = mac ? options.vendorOf(mac) : { vendor: null, isPrivate: false };
    const d: Device = { id, mac, name: null, dhcpName: mac ? (dhcpNames.get(mac) ?? null) : null, vendor: v.vendor, isPrivate: v.isPrivate, ips: [ip], firstSeen: now, lastSeen: now, policy: null, mergedInto: null, suggested: [] };
    d.suggested = options.suggest(d);
    if (devices.size >= maxDevices) evictOne();
    devices.set(id, d);
    if (mac) dirty = true; // IP-only entries are transient: not worth a flash write
    return d;
  }

  function evictOne() {
    let oldest: Device | undefined;
    for (const d of devices.values()) if (d.mac === null && d.id !== 'router' && (!oldest || d.lastSeen < oldest.lastSeen)) oldest = d;
    if (!oldest) for (const d of devices.values()) if (!oldest || d.lastSeen < oldest.lastSeen) oldest = d;
    if (oldest) devices.delete(oldest.id);
  }

  function serialize(): string {
    const kept = [...devices.values()].filter((d) => d.mac !== null || d.name !== null || d.policy !== null);
    return JSON.stringify({ version: 1, devices: kept });
  }

  return {
    seen(id, mac, ip, now) {
      let d = devices.get(id) ?? create(id, mac, ip, now);
      // A device the owner merged into another (the same phone under a new private MAC) is that one.
      if (d.mergedInto !== null) {
        d.lastSeen = now;
        d = devices.get(d.mergedInto) ?? d;
      }
      d.lastSeen = now;
      if (d.ips[0] !== ip) {
        const at = d.ips.indexOf(ip);
        if (at >= 0) d.ips.splice(at, 1);
        d.ips.unshift(ip);
        if (d.ips.length > MAX_IPS) d.ips.length = MAX_IPS;
      }
      return d;
    },
    get: (id) => devices.get(id),
    list: () => [...devices.values()],
    setDhcpNames(names) {
      dhcpNames = names;
      for (const d of devices.values()) {
        const n = d.mac ? (names.get(d.mac) ?? null) : null;
        if (n !== null && n !== d.dhcpName) {
          d.dhcpName = n;
          d.suggested = options.suggest(d);
          dirty = true;
        }
      }
    },
    update(id, change) {
      const d = devices.get(id);
      if (!d) return `no device ${id}`;
      if (change.mergeInto !== undefined && change.mergeInto !== null) {
        if (change.mergeInto === id) return 'a device cannot be merged into itself';
        if (!devices.has(change.mergeInto)) return `no device ${change.mergeInto} to merge into`;
      }
      if (change.name !== undefined) d.name = change.name;
      if (change.policy !== undefined) d.policy = change.policy;
      if (change.mergeInto !== undefined) d.mergedInto = change.mergeInto;
      d.suggested = options.suggest(d);
      dirty = true;
      return d;
    },
    serialize,
    absorb(json) {
      let n = 0;
      for (const d of parseSnapshot(json)) {
        const mine = devices.get(d.id);
        if (mine && mine.lastSeen >= d.lastSeen) continue;
        devices.set(d.id, d);
        n++;
      }
      return n;
    },
    async flush(force = false) {
      if ((!dirty && !force) || options.flash === null) return 0;
      const data = serialize();
      dirty = false;
      await options.flash.write(SNAPSHOT, data);
      return Buffer.byteLength(data);
    },
    displayName,
  };
}

/** Owner's name > DHCP hostname > vendor (or "Private address") + the last three MAC bytes. */
export function displayName(d: Device): string {
  if (d.name) return d.name;
  if (d.dhcpName) return d.dhcpName;
  if (d.id === 'router') return 'router';
  if (d.mac === null) return `Unknown device ${d.id.slice(3)}`;
  return `${d.isPrivate ? 'Private address' : (d.vendor ?? 'Unknown vendor')} ${shortMac(d.mac) ?? d.mac}`;
}

/** Devices from the last snapshot; a missing or corrupt file is an empty registry. */
function loadSnapshot(dir: string | undefined): Device[] {
  if (!dir) return [];
  try {
    return parseSnapshot(readFileSync(join(dir, SNAPSHOT), 'utf8'));
  } catch {
    return [];
  }
}

/** The devices of a snapshot's JSON; anything malformed is left out, never thrown. */
function parseSnapshot(json: string): Device[] {
  try {
    const parsed = JSON.parse(json) as { version: number; devices: Device[] };
    if (parsed?.version !== 1 || !Array.isArray(parsed.devices)) return [];
    return parsed.devices.filter((d) => typeof d?.id === 'string' && Array.isArray(d.ips) && typeof d.lastSeen === 'number');
  } catch {
    return [];
  }
}
