import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adminFile } from '../../src/web/admin-file.js';
import { setPassword } from '../../src/web/passwd.js';
import { createSetupCode, firstStartCode, normaliseCode } from '../../src/web/setup-code.js';

/** Bytes 0..9: the code "0123456789". */
const counting = (n: number) => Uint8Array.from({ length: n }, (_, i) => i);

describe('setup code', () => {
  it('prints as two groups of five from the unambiguous alphabet', () => {
    expect(createSetupCode(counting).display).toBe('01234-56789');
    for (let i = 0; i < 20; i++) expect(createSetupCode().display).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
  });

  it('matches ignoring case, spaces, dashes and the look-alikes O, I and L', () => {
    const code = createSetupCode(() => Uint8Array.from([10, 11, 12, 13, 14, 0, 1, 1, 2, 3])); // ABCDE-01123
    expect(code.display).toBe('ABCDE-01123');
    for (const typed of ['ABCDE-01123', 'abcde 01123', 'abcdeO1123', 'ABCDE-OLI23']) expect(code.matches(typed), typed).toBe(true);
    for (const typed of ['ABCDE-01124', 'ABCDE', '', 'ABCDE-011233']) expect(code.matches(typed), typed).toBe(false);
  });

  it('is good for one password only', () => {
    const code = createSetupCode(counting);
    code.consume();
    expect(code.matches('01234-56789')).toBe(false);
  });

  it('normalises what was typed', () => {
    expect(normaliseCode(' ab-cd o i l ')).toBe('ABCD011');
  });

  describe('firstStartCode', () => {
    it('issues a code only while no password is stored, and none for a corrupt admin.json', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'telemute-setup-'));
      try {
        expect(await firstStartCode(adminFile(dir))).toBeDefined();
        await setPassword(dir, 'correct horse battery');
        expect(await firstStartCode(adminFile(dir))).toBeUndefined();
        const corrupt = { path: '', read: () => Promise.reject(new Error('bad json')), update: () => Promise.reject(new Error('no')) };
        expect(await firstStartCode(corrupt)).toBeUndefined();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
