import { describe, expect, it } from 'vitest';
import { createFrameReader } from '../../src/net/frames.js';

const frame = (m: Buffer) => Buffer.concat([Buffer.from([m.length >> 8, m.length & 0xff]), m]);
const msg = (n: number, fill: number) => Buffer.alloc(n, fill);

describe('createFrameReader', () => {
  it('splits two frames in one chunk', () => {
    const got: Buffer[] = [];
    const r = createFrameReader((m) => got.push(Buffer.from(m)));
    expect(r.push(Buffer.concat([frame(msg(12, 1)), frame(msg(20, 2))]))).toBe(true);
    expect(got).toEqual([msg(12, 1), msg(20, 2)]);
  });

  it('joins a frame cut anywhere, byte by byte', () => {
    const got: Buffer[] = [];
    const r = createFrameReader((m) => got.push(Buffer.from(m)));
    const all = Buffer.concat([frame(msg(30, 7)), frame(msg(12, 8))]);
    for (const b of all) r.push(Buffer.from([b]));
    expect(got).toEqual([msg(30, 7), msg(12, 8)]);
  });

  it('refuses a frame shorter than a DNS header', () => {
    const r = createFrameReader(() => {});
    expect(r.push(frame(msg(11, 0)))).toBe(false);
  });
});
