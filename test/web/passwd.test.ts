import { mkdtemp, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminFile } from '../../src/web/admin-file.js';
import { applyEnvPassword, runPasswd } from '../../src/web/passwd.js';
import { verifyPassword } from '../../src/web/password.js';

/** A stdin that yields the given chunks, then ends. */
function stdinOf(...chunks: string[]): PassThrough {
  const stream = new PassThrough();
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  return stream;
}

function outputSink(): PassThrough & { text(): string } {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d));
  return Object.assign(out, { text: () => text });
}

async function storedMatches(stateDir: string, password: string): Promise<boolean> {
  const stored = (await adminFile(stateDir).read()).password;
  return stored !== undefined && (await verifyPassword(password, stored));
}

describe('passwd', () => {
  let stateDir: string;
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'telemute-passwd-'));
  });
  afterEach(() => rm(stateDir, { recursive: true, force: true }));

  describe('applyEnvPassword', () => {
    it('does nothing when the variable is absent', async () => {
      expect(await applyEnvPassword(stateDir, {})).toBe('absent');
      expect((await adminFile(stateDir).read()).password).toBeUndefined();
    });

    it('stores a new password with mode 0600', async () => {
      expect(await applyEnvPassword(stateDir, { TELEMUTE_ADMIN_PASSWORD: 'first password' })).toBe('updated');
      expect(await storedMatches(stateDir, 'first password')).toBe(true);
      expect((await stat(join(stateDir, 'admin.json'))).mode & 0o777).toBe(0o600);
      const json = JSON.parse(await readFile(join(stateDir, 'admin.json'), 'utf8'));
      expect(json.password).toMatchObject({ algo: 'scrypt', N: 16384, r: 8, p: 1 });
    });

    it('does not rewrite the file when the password is unchanged', async () => {
      const path = join(stateDir, 'admin.json');
      await applyEnvPassword(stateDir, { TELEMUTE_ADMIN_PASSWORD: 'same password' });
      const past = new Date('2020-01-01T00:00:00Z');
      await utimes(path, past, past); // any rewrite would move mtime to now
      const before = await stat(path);
      expect(await applyEnvPassword(stateDir, { TELEMUTE_ADMIN_PASSWORD: 'same password' })).toBe('unchanged');
      const after = await stat(path);
      expect(after.mtimeMs).toBe(before.mtimeMs);
      expect(after.ino).toBe(before.ino);
    });

    it('replaces a different stored password', async () => {
      await applyEnvPassword(stateDir, { TELEMUTE_ADMIN_PASSWORD: 'old password' });
      expect(await applyEnvPassword(stateDir, { TELEMUTE_ADMIN_PASSWORD: 'new password' })).toBe('updated');
      expect(await storedMatches(stateDir, 'new password')).toBe(true);
    });

    it('throws, naming the variable, for a short password', async () => {
      await expect(applyEnvPassword(stateDir, { TELEMUTE_ADMIN_PASSWORD: 'short' })).rejects.toThrow(
        'TELEMUTE_ADMIN_PASSWORD: must be at least 8 characters',
      );
    });
  });

  describe('runPasswd', () => {
    describe('when stdin is a pipe', () => {
      it('stores the first line and returns 0', async () => {
        const output = outputSink();
        const code = await runPasswd(stateDir, { stdin: stdinOf('piped password\r\n', 'ignored\n'), isTTY: false, output });
        expect(code).toBe(0);
        expect(await storedMatches(stateDir, 'piped password')).toBe(true);
        expect(output.text()).toContain('admin password set');
      });

      it('accepts a last line without a newline, split over chunks', async () => {
        const code = await runPasswd(stateDir, { stdin: stdinOf('split ', 'pass', 'word'), isTTY: false, output: outputSink() });
        expect(code).toBe(0);
        expect(await storedMatches(stateDir, 'split password')).toBe(true);
      });

      it('refuses a password under 8 characters with 1', async () => {
        const output = outputSink();
        expect(await runPasswd(stateDir, { stdin: stdinOf('short\n'), isTTY: false, output })).toBe(1);
        expect(output.text()).toContain('at least 8 characters');
        expect((await adminFile(stateDir).read()).password).toBeUndefined();
      });

      it('returns 1 on empty stdin', async () => {
        expect(await runPasswd(stateDir, { stdin: stdinOf(), isTTY: false, output: outputSink() })).toBe(1);
      });
    });

    describe('when stdin is a terminal', () => {
      it('prompts twice and stores a matching password', async () => {
        const output = outputSink();
        const stdin = stdinOf('typed passwordX\u007f\r', 'typed password\r');
        expect(await runPasswd(stateDir, { stdin, isTTY: true, output })).toBe(0);
        expect(output.text()).toContain('New admin password: ');
        expect(output.text()).toContain('Repeat it: ');
        expect(output.text()).not.toContain('typed password'); // no echo
        expect(await storedMatches(stateDir, 'typed password')).toBe(true);
      });

      it('returns 1 and changes nothing when the two differ', async () => {
        const stdin = stdinOf('first password\r', 'other password\r');
        expect(await runPasswd(stateDir, { stdin, isTTY: true, output: outputSink() })).toBe(1);
        expect((await adminFile(stateDir).read()).password).toBeUndefined();
      });

      it('returns 130 on Ctrl-C', async () => {
        expect(await runPasswd(stateDir, { stdin: stdinOf('abc\u0003'), isTTY: true, output: outputSink() })).toBe(130);
      });
    });

    it('uses a password given directly', async () => {
      expect(await runPasswd(stateDir, { password: 'direct password', stdin: stdinOf(), isTTY: false, output: outputSink() })).toBe(0);
      expect(await storedMatches(stateDir, 'direct password')).toBe(true);
    });

    it('returns 1 with the reason when the state dir is missing', async () => {
      const output = outputSink();
      const code = await runPasswd(join(stateDir, 'nope'), { stdin: stdinOf('good password\n'), isTTY: false, output });
      expect(code).toBe(1);
      expect(output.text()).toMatch(/cannot store the password: .*ENOENT/);
    });
  });
});
