// A plain UDP load for memory runs (not a qps benchmark: dnsperf in ../shared/bench is that):
// keeps ~1000 A queries in flight against 127.0.0.1:PORT for SECONDS, either `hit` (host-0..999
// of the bench zone, cached after the first round) or `miss` (random names under bench.test).
//   node bench/udp-load.mjs PORT SECONDS hit|miss
import dgram from 'node:dgram';
import { query } from './dns-query.mjs';

const [port, seconds, kind] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]];
const socket = dgram.createSocket('udp4');
let sent = 0;
let answered = 0;
let id = 0;

function burst() {
  for (let i = 0; i < 50; i++) {
    const name = kind === 'miss' ? `r${Math.random().toString(36).slice(2, 10)}.bench.test` : `host-${(Math.random() * 1000) | 0}.bench.test`;
    socket.send(query(name, 1, id++ & 0xffff), port, '127.0.0.1');
    sent++;
  }
}

socket.on('message', () => {
  answered++;
  if (answered + 200 > sent) burst();
});
const timer = setInterval(() => {
  if (sent - answered > 1000) sent = answered; // lost ones: do not stall
  burst();
}, 5);
setTimeout(() => {
  clearInterval(timer);
  socket.close();
  console.log(`${kind}: ${answered} answers in ${seconds} s`);
}, seconds * 1000);
