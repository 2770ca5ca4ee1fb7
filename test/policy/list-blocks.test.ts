import { describe, expect, it } from 'vitest';
import { nameToWire } from '../../src/dns/name.js';
import { parseList } from '../../src/policy/list-formats.js';
import { createBlockWriter, findBlock, findInBlock, indexOffsets } from '../../src/policy/list-blocks.js';
import { compareKeys, keyBloomHash, keyFromWire } from '../../src/policy/list-key.js';
import { createNameCollector, mergeRuns } from '../../src/policy/list-runs.js';
import { createSuffixBloom } from '../../src/policy/suffix-filter.js';

const w = (n: string) => nameToWire(n)!;
const keyOf = (name: string, start = 0) => {
  const out = new Uint8Array(256);
  const len = keyFromWire(w(name), start, out, 0);
  return len < 0 ? null : Buffer.from(out.subarray(0, len)).toString('latin1');
};

/** Blocks of `keys` (sorted here) with a small block size, so lookups cross many blocks. */
function blocksOf(keys: string[], blockBytes = 200) {
  const sorted = [...new Set(keys)].map((k) => Buffer.from(k, 'latin1')).sort(Buffer.compare);
  const writer = createBlockWriter(blockBytes);
  const blocks: Buffer[] = [];
  sorted.forEach((k, i) => {
    const full = writer.add(k, 0, k.length, (i % 7) + 1);
    if (full) blocks.push(Buffer.from(full));
  });
  const last = writer.finish();
  if (last) blocks.push(Buffer.from(last));
  const index = Buffer.from(writer.index());
  const offsets = indexOffsets(index);
  const find = (k: string) => {
    const key = Buffer.from(k, 'latin1');
    const n = findBlock(index, offsets, key, key.length);
    return n < 0 ? -1 : findInBlock(blocks[n], blocks[n].length, key, key.length);
  };
  return { sorted, blocks, find };
}

describe('list keys', () => {
  it.each([
    ['www.example.org', 0, 'org.example.www'],
    ['www.example.org', 4, 'org.example'],
    ['a-b_c.example.net', 0, 'net.example.a-b_c'],
  ])('turns %s (from octet %i) into %s', (name, start, key) => {
    expect(keyOf(name, start)).toBe(key);
  });

  it('has no key for a label holding a dot or a malformed wire name', () => {
    const out = new Uint8Array(256);
    expect(keyFromWire('\x03a.b\x03org\x00', 0, out, 0)).toBe(-1);
    expect(keyFromWire('\x09org\x00', 0, out, 0)).toBe(-1);
    expect(keyFromWire('\x03org', 0, out, 0)).toBe(-1);
  });

  it('hashes a key as the Bloom filter hashes its wire name', () => {
    const bloom = createSuffixBloom(10);
    const key = Buffer.from(keyOf('ads.example.org')!, 'latin1');
    bloom.addHash(keyBloomHash(key, 0, key.length), false);
    const seen: number[] = [];
    bloom.candidates(w('x.ads.example.org'), (start) => seen.push(start));
    expect(seen).toContain(2);
  });
});

describe('list blocks', () => {
  const keys = ['org.example', 'org.example.a', 'org.example.ab', 'org.example.b', 'net.x', 'com.z.y'];
  for (let i = 0; i < 3000; i++) keys.push(`com.d${i % 97}.h${i}`, `org.example.s${i}`);

  it('finds every key with its flags across many blocks', () => {
    const { sorted, blocks, find } = blocksOf(keys);
    expect(blocks.length).toBeGreaterThan(50);
    sorted.forEach((k, i) => expect(find(k.toString('latin1'))).toBe((i % 7) + 1));
  });

  it.each(['aaa', 'zzz', 'org.exampl', 'org.example.', 'org.example.aa', 'com.d5.h', 'com.d5.h99999', 'org.example.s3000'])('misses %j', (k) => {
    expect(blocksOf(keys).find(k)).toBe(-1);
  });

  it('keeps each block within its size, restarts and trailer included', () => {
    expect(Math.max(...blocksOf(keys, 300).blocks.map((b) => b.length))).toBeLessThanOrEqual(300);
  });
});

describe('list runs', () => {
  it('merges runs in key order, each name once with its flags OR-ed', () => {
    const c = createNameCollector();
    c.add(parseList('||b.example.org^\n||a.example.net^'));
    c.add(parseList('@@||b.example.org^\n|c.example.org^\n||a.example.net^'));
    const names = c.finish();
    expect(names.names).toBe(5);
    const next = mergeRuns(names);
    const out: string[] = [];
    for (let n = next(); n; n = next()) out.push(`${n.buf.toString('latin1', n.at, n.at + n.len)}:${n.flags}`);
    expect(out).toEqual(['net.example.a:1', 'org.example.b:3', 'org.example.c:4']);
    expect(names.runs).toEqual([]); // handed over to the merge, freed as it goes
  });

  it('sorts a run of 16 384+ names and starts the next one', () => {
    const c = createNameCollector();
    for (let i = 0; i < 20_000; i++) c.addName(w(`n${(i * 7919) % 20_000}.example.org`), 1);
    const names = c.finish();
    expect(names.runs.map((r) => r.order.length)).toEqual([16_384, 3616]);
    const next = mergeRuns(names);
    let prev: Buffer | null = null;
    let count = 0;
    for (let n = next(); n; n = next(), count++) {
      const key = Buffer.from(n.buf.subarray(n.at, n.at + n.len));
      if (prev) expect(compareKeys(prev, 0, prev.length, key, 0, key.length)).toBeLessThan(0);
      prev = key;
    }
    expect(count).toBe(20_000);
  });
});
