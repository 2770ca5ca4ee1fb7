/** Listen addresses: "127.0.0.1:5335", "[::1]:5335", "0.0.0.0" (port 53), "[::]:53". */
import { isIP } from 'node:net';

export interface HostPort {
  host: string;
  port: number;
}

/** Parses ADDR[:PORT]; throws with a clear message. */
export function parseHostPort(text: string, defaultPort: number): HostPort {
  const t = text.trim();
  let host = t;
  let port = defaultPort;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (bracket) {
    host = bracket[1];
    if (bracket[2] !== undefined) port = Number(bracket[2]);
  } else if (isIP(t) !== 6) {
    const m = /^([^:]*)(?::(\d+))?$/.exec(t);
    if (!m) throw new Error(`'${text}' is not ADDRESS:PORT`);
    host = m[1];
    if (m[2] !== undefined) port = Number(m[2]);
  }
  if (host === 'localhost') host = '127.0.0.1';
  if (!isIP(host)) throw new Error(`'${text}': '${host}' is not an IP address`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`'${text}': port must be 0-65535`);
  return { host, port };
}

/** ADDR:PORT text of a HostPort. */
export function formatHostPort(a: HostPort): string {
  return isIP(a.host) === 6 ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
