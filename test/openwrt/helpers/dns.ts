/**
 * Minimal DNS over UDP for the fail-open test: a server that answers every A query with
 * one fixed address (so a test can tell who answered) and a stub-resolver-like client
 * that retries on a timer, as a LAN device's resolver does. Loopback only.
 */
import dgram from 'node:dgram';

/** A fake resolver answering `address` for every name; `count` is how many queries it saw. */
export interface FakeServer {
  port: number;
  count: number;
  close(): Promise<void>;
}

function question(packet: Buffer): Buffer {
  let i = 12;
  while (i < packet.length && packet[i] !== 0) i += packet[i] + 1;
  return packet.subarray(12, i + 5);
}

/** Starts a fake resolver on host:port (loopback); `delayMs` makes it slower than a rival. */
export function fakeServer(port: number, address: string, delayMs = 0, host = '127.0.0.1'): Promise<FakeServer> {
  const socket = dgram.createSocket('udp4');
  let closed = false;
  const state: FakeServer = {
    port,
    count: 0,
    close: () => {
      if (closed) return Promise.resolve();
      closed = true;
      return new Promise((resolve) => socket.close(() => resolve()));
    },
  };
  socket.on('message', (msg, rinfo) => {
    if (msg.length < 12) return;
    state.count++;
    const header = Buffer.from(msg.subarray(0, 12));
    header.writeUInt16BE(0x8180, 2); // QR, RD, RA, NOERROR
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(1, 6);
    header.writeUInt32BE(0, 8);
    const answer = Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, ...address.split('.').map(Number)]);
    const reply = Buffer.concat([header, question(msg), answer]);
    setTimeout(() => {
      if (!closed) socket.send(reply, rinfo.port, rinfo.address);
    }, delayMs);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => resolve(state));
  });
}

function query(name: string, id: number): Buffer {
  const labels = name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')]));
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2); // RD
  header.writeUInt16BE(1, 4);
  return Buffer.concat([header, ...labels, Buffer.from([0, 0, 1, 0, 1])]);
}

/** Result of one lookup: the A address (null: no answer in time) and how long it took. */
export interface Lookup {
  address: string | null;
  ms: number;
}

/** Asks 127.0.0.1:port for name's A record, resending every retryMs, up to `tries` sends. */
export function lookup(port: number, name: string, retryMs = 1000, tries = 3): Promise<Lookup> {
  const socket = dgram.createSocket('udp4');
  const id = Math.floor(Math.random() * 0xffff);
  const packet = query(name, id);
  const start = Date.now();
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  return new Promise((resolve) => {
    const finish = (address: string | null) => {
      clearTimeout(timer);
      socket.close();
      resolve({ address, ms: Date.now() - start });
    };
    const send = () => {
      if (sent++ >= tries) return finish(null);
      socket.send(packet, port, '127.0.0.1');
      timer = setTimeout(send, retryMs);
    };
    socket.on('message', (msg) => {
      if (msg.length < 12 || msg.readUInt16BE(0) !== id) return;
      const answers = msg.readUInt16BE(6);
      finish(answers > 0 ? [...msg.subarray(msg.length - 4)].join('.') : null);
    });
    socket.bind(0, '127.0.0.1', send);
  });
}
