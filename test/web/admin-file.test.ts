import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminFile } from '../../src/web/admin-file.js';

const TOKEN = { id: 'a1', name: 'cron', createdAt: '2025-01-01T00:00:00.000Z', sha256: 'f'.repeat(64) };

describe('adminFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'telemute-admin-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads an absent file as an empty state', async () => {
    expect(await adminFile(dir).read()).toEqual({ tokens: [] });
  });

  it('writes versioned JSON and reads it back', async () => {
    const file = adminFile(dir);
    await file.update((s) => ({ ...s, tokens: [TOKEN] }));
    expect(JSON.parse(await readFile(file.path, 'utf8'))).toEqual({ version: 1, tokens: [TOKEN] });
    expect(await file.read()).toEqual({ tokens: [TOKEN] });
  });

  it('sees a change made by another process (a new inode)', async () => {
    const file = adminFile(dir);
    expect((await file.read()).tokens).toEqual([]);
    await adminFile(dir).update((s) => ({ ...s, tokens: [TOKEN] }));
    expect((await file.read()).tokens).toEqual([TOKEN]);
  });

  it('serialises concurrent updates so none is lost', async () => {
    const file = adminFile(dir);
    await Promise.all(
      ['a', 'b', 'c'].map((id) => file.update((s) => ({ ...s, tokens: [...s.tokens, { ...TOKEN, id }] }))),
    );
    expect((await file.read()).tokens.map((t) => t.id).sort()).toEqual(['a', 'b', 'c']);
  });

  it('skips malformed token entries and keeps the good ones', async () => {
    await writeFile(join(dir, 'admin.json'), JSON.stringify({ tokens: [TOKEN, { id: 5 }, { ...TOKEN, sha256: 'x' }] }));
    expect((await adminFile(dir).read()).tokens).toEqual([TOKEN]);
  });

  it('throws a message naming the file when it is not JSON', async () => {
    await writeFile(join(dir, 'admin.json'), '{ not json');
    await expect(adminFile(dir).read()).rejects.toThrow(/admin\.json: not valid JSON/);
  });
});
