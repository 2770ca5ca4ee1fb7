import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
      expect(f.counters()).toEqual({ bytes: 25, batches: 3, removes: 0, byFile: { 'a.json': { bytes: 15, batches: 2 }, 'b.bin': { bytes: 10, batches: 1 } } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('removes a file and counts it; a missing one resolves false', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'telemute-flash-'));
    try {
      const f = createFlashWriter(dir);
      await f.write('old.bin', 'x');
      expect(await f.remove('old.bin')).toBe(true);
      expect(await f.remove('old.bin')).toBe(false);
      expect(existsSync(path.join(dir, 'old.bin'))).toBe(false);
      expect(f.counters().removes).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('when a killed write left temporary files', () => {
    it('deletes them at creation, in subdirectories too, and keeps a live process\'s', () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'telemute-flash-'));
      try {
        mkdirSync(path.join(dir, 'stats'));
        const dead = 2 ** 22 + 1; // above pid_max's default, so no such process
        writeFileSync(path.join(dir, `.stats.json.gz.${dead}.0123456789ab.tmp`), 'torn');
        writeFileSync(path.join(dir, 'stats', `.today.json.gz.${process.pid}.abcdefabcdef.tmp`), 'torn');
        writeFileSync(path.join(dir, `.policy.json.${process.ppid}.0123456789ab.tmp`), 'in flight');
        writeFileSync(path.join(dir, 'policy.json'), '{}');
        writeFileSync(path.join(dir, '.hidden.tmp'), 'not ours');
        createFlashWriter(dir);
        expect(readdirSync(dir).sort()).toEqual(['.hidden.tmp', `.policy.json.${process.ppid}.0123456789ab.tmp`, 'policy.json', 'stats']);
        expect(readdirSync(path.join(dir, 'stats'))).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
