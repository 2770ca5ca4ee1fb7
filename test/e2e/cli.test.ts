/**
 * The command line of the built bundle: bad settings exit with status 2 and name file, line and
 * option (never a stack trace); `passwd` stores a password the admin then accepts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../helpers/telemute.js';

const BUNDLE = fileURLToPath(new URL('../../dist/telemute.mjs', import.meta.url));
let dir: string;

function run(args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(path.join(os.tmpdir(), 'telemute-cli-'));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('command line', () => {
  describe('when the config file is bad', () => {
    it('exits 2 and lists every error with file, line and option, without a stack trace', async () => {
      const file = path.join(dir, 'bad.conf');
      writeFileSync(
        file,
        [
          "config telemute 'main'",
          "\tlist listen '127.0.0.1:99999'",
          "\toption colour 'blue'",
          "config cache 'cache'",
          "\toption max_ttl 'forever'",
          'config record',
          "\toption name 'nas.example.org'",
          "\toption value '<script>'",
        ].join('\n'),
      );
      const r = await run(['--config', file, '--admin', 'off']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${file}:2: option 'listen': '127.0.0.1:99999': port must be 0-65535`);
      expect(r.stderr).toContain(`${file}:3: option 'colour': unknown option`);
      expect(r.stderr).toContain(`${file}:5: option 'max_ttl': 'forever' must be a whole number`);
      expect(r.stderr).toMatch(new RegExp(`${file}:6: config record: value '<script>' is not an IPv4 address`));
      expect(r.stderr).not.toMatch(/^\s+at /m);
    });

    it('exits 2 naming the line of a syntax error', async () => {
      const file = path.join(dir, 'syntax.conf');
      writeFileSync(file, "config telemute 'main'\n\toption admin 'off\n");
      const r = await run(['--config', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${file}:2: unterminated single quote`);
    });

    it('exits 2 when the file cannot be read', async () => {
      const r = await run(['--config', path.join(dir, 'missing.conf')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/missing\.conf: cannot read: ENOENT/);
    });
  });

  describe('when a flag is wrong', () => {
    it('exits 2 with the usage for an unknown flag', async () => {
      const r = await run(['--colour', 'blue']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("unknown argument '--colour'");
      expect(r.stderr).toContain('usage: telemute');
    });

    it('exits 2 for an upstream that is not an address', async () => {
      const r = await run(['--upstream', 'tls://192.0.2.1', '--admin', 'off']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('command line: --upstream: tls:// upstreams are not supported yet');
    });
  });

  describe('when asked for help or the version', () => {
    it('prints them and exits 0', async () => {
      expect((await run(['--help'])).stdout).toContain('usage: telemute');
      const v = await run(['--version']);
      expect(v.code).toBe(0);
      expect(v.stdout).toMatch(/^telemute \d+\.\d+\.\d+/);
    });
  });

  describe('when the admin password is set with passwd', () => {
    it('stores a scrypt hash under --state and never the password itself', async () => {
      const state = path.join(dir, 'state');
      const r = await run(['passwd', '--state', state], 'correct horse battery\n');
      expect(r.code).toBe(0);
      const stored = readFileSync(path.join(state, 'admin.json'), 'utf8');
      expect(stored).toContain('scrypt');
      expect(stored).not.toContain('correct horse battery');
    });

    it('refuses a password shorter than 8 characters', async () => {
      const r = await run(['passwd', '--state', path.join(dir, 'state2')], 'short\n');
      expect(r.code).not.toBe(0);
    });
  });
});
