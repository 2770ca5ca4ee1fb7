import { mkdtemp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Lets one test make rename fail after the temporary file is fully written: the worst moment.
const failure = vi.hoisted(() => ({ rename: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    rename: (from: string, to: string) => (failure.rename ? Promise.reject(new Error('EIO: simulated')) : real.rename(from, to)),
  };
});

const { writeFileAtomic } = await import('../../src/store/atomic-file.js');

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'telemute-atomic-'));
    failure.rename = false;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  describe('when the write succeeds', () => {
    it('creates the file with mode 0600', async () => {
      const path = join(dir, 'state.json');
      await writeFileAtomic(path, '{"a":1}');
      expect(await readFile(path, 'utf8')).toBe('{"a":1}');
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    });

    it('replaces an existing 0644 file and leaves it 0600 with no temp file behind', async () => {
      const path = join(dir, 'state.json');
      await writeFile(path, 'old', { mode: 0o644 });
      await writeFileAtomic(path, new TextEncoder().encode('new'));
      expect(await readFile(path, 'utf8')).toBe('new');
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(await readdir(dir)).toEqual(['state.json']);
    });

    it('leaves one whole version when writes race', async () => {
      const path = join(dir, 'state.json');
      const a = 'a'.repeat(100_000);
      const b = 'b'.repeat(100_000);
      await Promise.all([writeFileAtomic(path, a), writeFileAtomic(path, b)]);
      expect([a, b]).toContain(await readFile(path, 'utf8'));
      expect(await readdir(dir)).toEqual(['state.json']);
    });
  });

  describe('when the write fails', () => {
    it('keeps the old content if rename fails after the data is written', async () => {
      const path = join(dir, 'state.json');
      await writeFile(path, 'old');
      failure.rename = true;
      await expect(writeFileAtomic(path, 'new')).rejects.toThrow(/simulated/);
      expect(await readFile(path, 'utf8')).toBe('old');
      expect(await readdir(dir)).toEqual(['state.json']);
    });

    it('rejects when the directory does not exist', async () => {
      await expect(writeFileAtomic(join(dir, 'missing', 'state.json'), 'x')).rejects.toThrow(/ENOENT/);
      expect(await readdir(dir)).toEqual([]);
    });

    it('rejects when the target is a directory, leaving it and no temp file', async () => {
      const path = join(dir, 'state.json');
      await mkdir(path);
      await writeFile(join(path, 'inside'), 'keep');
      await expect(writeFileAtomic(path, 'x')).rejects.toThrow();
      expect(await readFile(join(path, 'inside'), 'utf8')).toBe('keep');
      expect(await readdir(dir)).toEqual(['state.json']);
    });
  });
});
