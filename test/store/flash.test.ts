import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFlashWriter } from '../../src/store/flash.js';

describe('flash writer', () => {
  it('writes atomically and counts bytes and batches, per file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'telemute-flash-'));
    try {
      const f = createFlashWriter(dir);
      await f.write('a.json', '{"x":1}');
      await f.write('a.json', '{"x":22}');
      await f.write('b.bin', new Uint8Array(10));
      expect(readFileSync(path.join(dir, 'a.json'), 'utf8')).toBe('{"x":22}');
      expect(f.counters()).toEqual({ bytes: 25, batches: 3, byFile: { 'a.json': { bytes: 15, batches: 2 }, 'b.bin': { bytes: 10, batches: 1 } } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
