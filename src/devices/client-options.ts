/**
 * The client identity dnsmasq adds to the queries it forwards to us (FACTS.md §4). Read from the
 * raw OPT RDATA, because dns2 drops unknown EDNS options (FACTS.md §1).
 *
 * Encodings, as dnsmasq 2.90 src/edns0.c writes them (checked against pi-hole/dnsmasq
 * src/edns0.c and a capture of Debian's dnsmasq 2.90, see the test):
 * - `--add-mac`: add_mac() → option 65001 (EDNS0_OPTION_MAC), value = the hardware address as
 *   find_mac() returns it, so 6 raw bytes on Ethernet/Wi-Fi (other lengths are ignored here).
 * - `--add-mac=base64`: add_dns_client() → option 65073 (EDNS0_OPTION_NOMDEVICEID), value =
 *   encoder() on each 3-byte half: 8 chars of the standard base64 alphabet, no padding.
 * - `--add-mac=text`: add_dns_client() → option 65073, value = print_mac(): "aa:bb:cc:dd:ee:ff".
 * - `--add-subnet`: add_source_addr()/calc_subnet_opt() → option 8 (RFC 7871 §6): family (1 IPv4,
 *   2 IPv6), source prefix, scope prefix (0), then ceil(prefix/8) address bytes.
 * add_pseudoheader() without `--strip-mac`/`--strip-subnet` keeps an option the client already
 * sent and adds none ("check if option already there"): the first one is the one dnsmasq vouches
 * for only when strip is on, so the router config must set stripmac/stripsubnet. We take the first,
 * as dnsmasq does.
 */
import { EDNS_OPTION } from '../dns/constants.js';
import { ipv6Text } from '../dns/message.js';
import { normalizeMac } from './oui.js';

/** EDNS option codes (dnsmasq src/dns-protocol.h; RFC 7871 for ECS). */
const OPTION_MAC = EDNS_OPTION.DNSMASQ_MAC;
const OPTION_DEVICE_ID = EDNS_OPTION.NOMINUM_DEVICE_ID;
const OPTION_CLIENT_SUBNET = EDNS_OPTION.CLIENT_SUBNET;

/** What the forwarder said about the client. */
export interface ClientOptions {
  /** The client's MAC, lowercase colon form, or null. */
  mac: string | null;
  /** The client's own address (ECS with a full /32 or /128 prefix only), or null. */
  subnet: { family: 4 | 6; address: string; prefix: number } | null;
}

/** Loopback: dnsmasq on the router itself. The only forwarders believed by default. */
export const DEFAULT_TRUSTED_FORWARDERS: ReadonlySet<string> = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const NOTHING: ClientOptions = Object.freeze({ mac: null, subnet: null });

/**
 * Walks the EDNS options in `raw[optionsOffset, optionsOffset + optionsLength)` (the OPT RDATA,
 * RFC 6891 §6.1.2: code(2) length(2) value) and returns the MAC and client address found.
 * Never throws: a truncated or overlong option ends the walk with what was found before it.
 */
export function readClientOptions(raw: Uint8Array, optionsOffset: number, optionsLength: number): ClientOptions {
  if (!(raw instanceof Uint8Array) || !Number.isInteger(optionsOffset) || !Number.isInteger(optionsLength)) return NOTHING;
  if (optionsOffset < 0 || optionsLength <= 0) return NOTHING;
  const end = Math.min(optionsOffset + optionsLength, raw.length);
  let mac: string | null = null;
  let subnet: ClientOptions['subnet'] = null;
  let sawSubnet = false;
  for (let p = optionsOffset; p + 4 <= end; ) {
    const code = (raw[p] << 8) | raw[p + 1];
    const length = (raw[p + 2] << 8) | raw[p + 3];
    const value = p + 4;
    if (value + length > end) break; // RFC 6891 §6.1.2: the option must fit the RDATA
    if (mac === null && (code === OPTION_MAC || code === OPTION_DEVICE_ID)) {
      mac = code === OPTION_MAC ? macFromBytes(raw, value, length) : macFromDeviceId(raw, value, length);
    } else if (code === OPTION_CLIENT_SUBNET && !sawSubnet) {
      sawSubnet = true;
      subnet = clientSubnet(raw, value, length);
    }
    p = value + length;
  }
  return mac === null && subnet === null ? NOTHING : { mac, subnet };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Option 65001: six raw bytes. */
function macFromBytes(raw: Uint8Array, at: number, length: number): string | null {
  if (length !== 6) return null;
  return `${HEX[raw[at]]}:${HEX[raw[at + 1]]}:${HEX[raw[at + 2]]}:${HEX[raw[at + 3]]}:${HEX[raw[at + 4]]}:${HEX[raw[at + 5]]}`;
}

const BASE64 = /^[A-Za-z0-9+/]{8}$/;

/** Option 65073: 8 base64 chars or 17 chars of text (dnsmasq add_dns_client). */
function macFromDeviceId(raw: Uint8Array, at: number, length: number): string | null {
  if (length !== 8 && length !== 17) return null;
  let text = '';
  for (let i = at; i < at + length; i++) text += String.fromCharCode(raw[i]);
  if (length === 17) return /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(text) ? normalizeMac(text) : null;
  if (!BASE64.test(text)) return null;
  return macFromBytes(Buffer.from(text, 'base64'), 0, 6);
}

/** Option 8 (RFC 7871 §6): the address when the prefix is the whole address, else null. */
function clientSubnet(raw: Uint8Array, at: number, length: number): ClientOptions['subnet'] {
  if (length < 4) return null;
  const family = (raw[at] << 8) | raw[at + 1];
  const prefix = raw[at + 2];
  const bits = family === 1 ? 32 : family === 2 ? 128 : 0;
  // §6: ADDRESS is exactly ceil(SOURCE PREFIX-LENGTH / 8) octets; anything else is malformed.
  if (bits === 0 || prefix > bits || length - 4 !== Math.ceil(prefix / 8)) return null;
  // A truncated subnet names a network, not a device.
  if (prefix !== bits) return null;
  const a = at + 4;
  if (family === 1) return { family: 4, prefix, address: `${raw[a]}.${raw[a + 1]}.${raw[a + 2]}.${raw[a + 3]}` };
  return { family: 6, prefix, address: ipv6Text(raw, a) };
}
