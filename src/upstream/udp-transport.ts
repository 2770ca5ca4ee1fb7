/**
 * Plain DNS over UDP to upstreams. A few long-lived sockets per address family, each bound to a
 * kernel-chosen random port and replaced after `rotateAfter` queries, so an off-path attacker must
 * guess both a 16-bit ID and a port (RFC 5452 §4.5) while we avoid one socket per query (a bind
 * per miss costs ~30 µs). Replies are matched by ID, source address and question.
 */
import dgram from 'node:dgram';
import { isIP } from 'node:net';
import { logLimited } from '../log.js';
import { answersQuery } from './match.js';
import { randomId } from './random.js';
import type { Upstream } from './server.js';

interface Pending {
  query: Buffer;
  host: string;
  port: number;
  timer: NodeJS.Timeout;
  resolve: (reply: Buffer | null) => void;
}

interface Slot {
  socket: dgram.Socket;
  pending: Map<number, Pending>;
  uses: number;
}

export interface UdpTransportOptions {
  socketsPerFamily?: number;
  /** Queries a socket carries before it is replaced by one on a new random port. */
  rotateAfter?: number;
}

export interface UdpTransport {
  /** Sends `query` (its ID is replaced) and resolves with the matching reply, or null on timeout or error. */
  exchange(server: Upstream, query: Buffer, timeoutMs: number): Promise<Buffer | null>;
  close(): void;
  /** Replies dropped because they did not match a pending query (spoofed, late, or lying). */
  mismatches: () => number;
}

/** Creates the UDP upstream transport. Sockets open on first use. */
export function createUdpTransport(options: UdpTransportOptions = {}): UdpTransport {
  const perFamily = options.socketsPerFamily ?? 4;
  const rotateAfter = options.rotateAfter ?? 10_000;
  const slots: Record<'udp4' | 'udp6', (Slot | null)[]> = { udp4: new Array(perFamily).fill(null), udp6: new Array(perFamily).fill(null) };
  let mismatches = 0;

  function openSlot(family: 'udp4' | 'udp6'): Slot {
    const socket = dgram.createSocket({ type: family, recvBufferSize: 1 << 20 });
    const slot: Slot = { socket, pending: new Map(), uses: 0 };
    socket.on('message', (msg, rinfo) => onReply(slot, msg, rinfo));
    socket.on('error', (err) => {
      logLimited('debug', 'udp-upstream', `upstream socket error: ${err.message}`);
      retire(family, slot);
    });
    socket.unref();
    return slot;
  }

  function onReply(slot: Slot, msg: Buffer, rinfo: dgram.RemoteInfo) {
    if (msg.length < 12) return;
    const p = slot.pending.get((msg[0] << 8) | msg[1]);
    if (p === undefined || rinfo.port !== p.port || rinfo.address !== p.host || !answersQuery(p.query, msg)) {
      mismatches++;
      return;
    }
    clearTimeout(p.timer);
    slot.pending.delete((msg[0] << 8) | msg[1]);
    p.resolve(msg);
  }

  /** Takes a slot out of rotation; its socket closes once its last pending query is done. */
  function retire(family: 'udp4' | 'udp6', slot: Slot) {
    const i = slots[family].indexOf(slot);
    if (i >= 0) slots[family][i] = null;
    closeWhenIdle(slot);
  }

  function closeWhenIdle(slot: Slot) {
    if (slot.pending.size === 0) slot.socket.close();
    else setTimeout(() => closeWhenIdle(slot), 1000).unref();
  }

  function pick(family: 'udp4' | 'udp6'): Slot {
    const list = slots[family];
    const i = Math.floor(Math.random() * list.length);
    let slot = list[i];
    if (slot === null || slot.uses >= rotateAfter) {
      if (slot !== null) retire(family, slot);
      slot = openSlot(family);
      list[i] = slot;
    }
    slot.uses++;
    return slot;
  }

  function exchange(server: Upstream, query: Buffer, timeoutMs: number): Promise<Buffer | null> {
    const family = isIP(server.host) === 6 ? 'udp6' : 'udp4';
    const slot = pick(family);
    let id = randomId();
    while (slot.pending.has(id)) id = randomId();
    const copy = Buffer.from(query);
    copy[0] = id >> 8;
    copy[1] = id & 0xff;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        slot.pending.delete(id);
        resolve(null);
      }, timeoutMs);
      slot.pending.set(id, { query: copy, host: server.host, port: server.port, timer, resolve });
      slot.socket.send(copy, server.port, server.host, (err) => {
        if (!err) return;
        logLimited('debug', 'udp-upstream-send', `send to ${server.url} failed: ${err.message}`);
        clearTimeout(timer);
        slot.pending.delete(id);
        resolve(null);
      });
    });
  }

  function close() {
    for (const family of ['udp4', 'udp6'] as const) {
      for (const slot of slots[family]) {
        if (!slot) continue;
        for (const p of slot.pending.values()) {
          clearTimeout(p.timer);
          p.resolve(null);
        }
        slot.pending.clear();
        slot.socket.close();
      }
      slots[family].fill(null);
    }
  }

  return { exchange, close, mismatches: () => mismatches };
}
