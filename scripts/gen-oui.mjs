// Generates src/devices/oui-table.ts (MAC prefix → vendor) from the npm package oui-data, the IEEE
// MA-L (24-bit), MA-M (28-bit) and MA-S (36-bit) registries as JSON.
// Usage: node scripts/gen-oui.mjs [path/to/oui-data]   (default: node_modules/oui-data)
//
// The table is one brotli-compressed, base64 blob (about 290 KB of source for ~54k prefixes and
// ~28k vendor names; plain JSON would be 5.6 MB). Layout before compression, all numbers LEB128
// varints (unsigned, 7 bits a byte, low group first):
//   header   version(1) nL nM nS nMulti nSingle
//   prefixes MA-L, then MA-M, then MA-S, each sorted ascending, stored as deltas from the previous
//   vendors  one code per prefix in the same order: 0 = the next name used by one prefix only
//            ("single"), k > 0 = multi name k-1 (names used by several prefixes, most used first)
//   names    UTF-8, '\n'-joined: the multi names, then the singles in order of first use
// Vendor names are shortened for default device names ("Xiaomi 3a:4b:5c"), after Wireshark's
// tools/make-manuf.py shorten(): company-form words dropped (Inc, Co, Ltd, GmbH...), all-caps
// words title-cased; further, trailing descriptive words (Technologies, Electronics, Mobile...)
// and a leading Chinese place name are dropped, and the result is cut to 20 characters at a word
// boundary. 'Private' and 'IEEE Registration Authority' become '' (no vendor). Output is
// deterministic for a given oui-data version and Node (brotli quality 11, window 24).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.argv[2] ?? join(root, 'node_modules/oui-data');
const outFile = join(root, 'src/devices/oui-table.ts');
const FORMAT_VERSION = 1;

const words = (s) => new Set(s.trim().split(/\s+/));
// make-manuf.py general_terms, as words (dots inside abbreviations are removed first).
const COMPANY = words(`a/s ab ag as bv co company corp corporation corporate inc incorporated jsc kg kk
  limited llc ltd nv oao ooo oy oyj plc pty pvt pte sarl sa srl spa sp spk sl sdn bhd zao zoo gmbh
  mbh sas sasu kft ltda lda eirl the ind mfg ek aps asa ou publ`);
const DESCRIPTIVE = words(`communications communication telecommunication telecommunications telecom
  technologies technology tech electronics electronic electric mobile device devices systems system
  networks network wireless trading group software digital information international industrial
  industries industry manufacturing computer computers semiconductor semiconductors products
  solutions holdings holding enterprises labs intelligent smart home hk science sciences`);
const PLACES = words(`china beijing shenzhen shanghai guangdong guangzhou hangzhou sichuan zhejiang
  fujian jiangsu dongguan xiamen suzhou ningbo chengdu wuhan qingdao tianjin nanjing hefei zhuhai
  foshan zhongshan shandong hunan hubei anhui chongqing jiangxi hebei henan shaanxi xian huizhou
  taicang`);
const CONNECTORS = words(`and & und de da du of for y et + -`);
const NO_VENDOR = new Set(['Private', 'IEEE Registration Authority']);
const MAX_LENGTH = 20;

/** The display name for a registry name ('' for none). */
export function shorten(full) {
  if (NO_VENDOR.has(full.trim())) return '';
  let s = full.normalize('NFKC').replace(/\s+/g, ' ').trim();
  s = s.replace(/\b([A-Za-z])\.(?=[A-Za-z]\b)/g, '$1'); // S.A. → SA, K.K. → KK
  s = s.replace(/\.(inc|ltd|co|corp|llc)\b/gi, ' $1'); // BUFFALO.INC
  s = s.replace(/\([^)]*\)/g, ' '); // (Mobile Communications), (Shanghai)
  const comma = s.indexOf(',');
  if (comma > 0) s = s.slice(0, comma); // "Apple, Inc.", "Motorola Mobility LLC, a Lenovo Company"
  const allCaps = !/[a-z]/.test(s);
  const lower = (w) => w.toLowerCase();
  let ws = s
    .replace(/["'()]/g, ' ')
    .split(' ')
    .map((w) => w.replace(/[.,;:]+$/, ''))
    .filter((w, i) => w !== '' && !(i > 0 && COMPANY.has(lower(w))));
  const onlyPlaces = (list) => list.every((w) => PLACES.has(lower(w)));
  const filler = (w) => DESCRIPTIVE.has(lower(w)) || CONNECTORS.has(lower(w));
  while (ws.length > 1 && filler(ws.at(-1)) && !onlyPlaces(ws.slice(0, -1))) ws.pop();
  while (ws.length > 1 && PLACES.has(lower(ws[0])) && !DESCRIPTIVE.has(lower(ws[1]))) ws.shift();
  if (allCaps) ws = ws.map((w) => w.replace(/[A-Z]{4,}/g, (r) => r[0] + lower(r.slice(1)))); // keep LG, ZTE, TP
  if (ws.length === 0) return full.trim().slice(0, MAX_LENGTH);
  let n = 1;
  for (let len = ws[0].length; n < ws.length && len + 1 + ws[n].length <= MAX_LENGTH; n++) len += 1 + ws[n].length;
  while (n > 1 && CONNECTORS.has(lower(ws[n - 1]))) n--;
  return ws.slice(0, n).join(' ');
}

function varint(out, v) {
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`varint out of range: ${v}`);
  while (v >= 128) {
    out.push((v % 128) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

function main() {
  const pkg = JSON.parse(readFileSync(join(dataDir, 'package.json'), 'utf8'));
  const data = JSON.parse(readFileSync(join(dataDir, pkg.main ?? 'index.json'), 'utf8'));
  const groups = [6, 7, 9].map((len) =>
    Object.keys(data)
      .filter((k) => k.length === len && /^[0-9A-F]+$/.test(k))
      .map((k) => ({ prefix: parseInt(k, 16), name: shorten(String(data[k]).split('\n')[0]) }))
      .sort((a, b) => a.prefix - b.prefix),
  );
  const entries = groups.flat();
  if (entries.length !== Object.keys(data).length) throw new Error('oui-data has keys that are not 6, 7 or 9 hex digits');

  const uses = new Map();
  const firstUse = new Map();
  for (const e of entries) {
    uses.set(e.name, (uses.get(e.name) ?? 0) + 1);
    if (!firstUse.has(e.name)) firstUse.set(e.name, firstUse.size);
  }
  const names = [...firstUse.keys()];
  const multi = names.filter((n) => uses.get(n) > 1).sort((a, b) => uses.get(b) - uses.get(a) || firstUse.get(a) - firstUse.get(b));
  const singles = names.filter((n) => uses.get(n) === 1);
  if (names.some((n) => n.includes('\n')) || names.length > 0xffff) throw new Error('names do not fit the format');
  const multiIndex = new Map(multi.map((n, i) => [n, i]));

  const bytes = [];
  for (const v of [FORMAT_VERSION, ...groups.map((g) => g.length), multi.length, singles.length]) varint(bytes, v);
  for (const group of groups) {
    let previous = 0;
    for (const e of group) {
      varint(bytes, e.prefix - previous);
      previous = e.prefix;
    }
  }
  for (const e of entries) varint(bytes, uses.get(e.name) === 1 ? 0 : multiIndex.get(e.name) + 1);
  const raw = Buffer.concat([Buffer.from(bytes), Buffer.from([...multi, ...singles].join('\n'), 'utf8')]);
  const packed = brotliCompressSync(raw, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
  });
  const b64 = packed.toString('base64').replace(/.{1,120}/g, '$&\n');

  const source = `// GENERATED by scripts/gen-oui.mjs from ${pkg.name}@${pkg.version} (IEEE MA-L, MA-M, MA-S). Do not edit.
// Regenerate: node scripts/gen-oui.mjs [path/to/oui-data]  (default: node_modules/oui-data)
// ${groups[0].length} MA-L + ${groups[1].length} MA-M + ${groups[2].length} MA-S prefixes, ${names.length} vendor names; ${raw.length} bytes unpacked.
// Format: see the comment at the top of scripts/gen-oui.mjs; decoded by src/devices/oui.ts.

/** Where the table comes from. */
export const OUI_SOURCE = '${pkg.name}@${pkg.version}';

/** The packed table: base64 (line breaks ignored) of brotli of the varint layout. */
export const OUI_TABLE = \`
${b64}\`;
`;
  writeFileSync(outFile, source);
  process.stdout.write(`${outFile}: ${entries.length} prefixes, ${names.length} names, ${(source.length / 1024).toFixed(1)} KiB\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
