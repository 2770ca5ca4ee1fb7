/**
 * openwrt/build-ipk.sh: the .ipk must be what OpenWrt's scripts/ipkg-build makes and what
 * opkg's deb_extract() reads (a gzip'ed tar, not an ar archive), carry the right lmdb addon
 * per arch, and come out byte-identical from two builds.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/sandbox.js';

interface TarEntry {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  type: string;
  data: Buffer;
}

/** Reads a (GNU or ustar) tar: enough of the header for names, modes, owners and contents. */
function readTar(buf: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  const field = (h: Buffer, off: number, len: number) => h.subarray(off, off + len).toString('latin1').replace(/\0.*$/s, '');
  const octal = (h: Buffer, off: number, len: number) => parseInt(field(h, off, len).trim() || '0', 8);
  for (let off = 0; off + 512 <= buf.length; ) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const size = octal(h, 124, 12);
    entries.push({
      name: field(h, 0, 100),
      mode: octal(h, 100, 8),
      uid: octal(h, 108, 8),
      gid: octal(h, 116, 8),
      mtime: octal(h, 136, 12),
      type: field(h, 156, 1) || '0',
      data: buf.subarray(off + 512, off + 512 + size),
    });
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv) =>
  new Promise<string>((resolve, reject) =>
    execFile(cmd, args, { env: { ...process.env, ...env }, timeout: 120_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout.trim()),
    ),
  );

const version = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version as string;
const EPOCH = 1_700_000_000;
const cache = path.join(repoRoot, '.cache/openwrt');
let tmp: string;
let bundle: string;

async function build(arch: string, out: string): Promise<string> {
  return run('bash', [path.join(repoRoot, 'openwrt/build-ipk.sh'), arch, out], {
    SOURCE_DATE_EPOCH: String(EPOCH),
    TELEMUTE_BUNDLE: bundle,
    TELEMUTE_CACHE: cache,
  });
}

function unpack(ipk: string) {
  const outer = readTar(gunzipSync(fs.readFileSync(ipk)));
  const member = (n: string) => outer.find((e) => e.name === n)!.data;
  const data = readTar(gunzipSync(member('./data.tar.gz')));
  const control = readTar(gunzipSync(member('./control.tar.gz')));
  const file = (entries: TarEntry[], n: string) => entries.find((e) => e.name === n);
  const fields = Object.fromEntries(
    file(control, './control')!
      .data.toString()
      .split('\n')
      .filter((l) => /^[A-Za-z-]+:/.test(l))
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
  );
  return { outer, data, control, file, fields, dataTarSize: gunzipSync(member('./data.tar.gz')).length };
}

/** The musl addon as npm ships it, for comparison with what the ipk carries. */
function npmAddon(lmdbArch: string): Buffer {
  const tgz = path.join(cache, `lmdb-lmdb-linux-${lmdbArch}-3.5.6.tgz`);
  const entry = readTar(gunzipSync(fs.readFileSync(tgz))).find((e) => e.name === 'package/node.napi.musl.node');
  return entry!.data;
}

const builds: Record<string, string> = {};

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'telemute-ipk-'));
  bundle = path.join(tmp, 'telemute.mjs');
  fs.writeFileSync(bundle, 'console.log("telemute test bundle");\n');
  builds.x86_64 = await build('x86_64', path.join(tmp, 'a'));
  builds['aarch64_cortex-a53'] = await build('aarch64_cortex-a53', path.join(tmp, 'a'));
  builds.again = await build('x86_64', path.join(tmp, 'b'));
}, 180_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('build-ipk.sh', () => {
  it('names the file telemute_<version>_<arch>.ipk', () => {
    expect(path.basename(builds.x86_64)).toBe(`telemute_${version}_x86_64.ipk`);
    expect(path.basename(builds['aarch64_cortex-a53'])).toBe(`telemute_${version}_aarch64_cortex-a53.ipk`);
  });

  it('writes a gzip of a GNU tar holding debian-binary, data.tar.gz, control.tar.gz in that order', () => {
    const raw = fs.readFileSync(builds.x86_64);
    expect([raw[0], raw[1]]).toEqual([0x1f, 0x8b]);
    const tar = gunzipSync(raw);
    expect(tar.subarray(257, 265).toString('latin1')).toBe('ustar  \0'); // GNU magic
    const { outer } = unpack(builds.x86_64);
    expect(outer.map((e) => e.name)).toEqual(['./debian-binary', './data.tar.gz', './control.tar.gz']);
    expect(outer[0].data.toString()).toBe('2.0\n');
    for (const e of outer) expect([e.uid, e.gid, e.mtime]).toEqual([0, 0, EPOCH]);
  });

  it.each([
    ['x86_64', 'x64', 62],
    ['aarch64_cortex-a53', 'arm64', 183],
  ])('fills the control file for %s', (arch) => {
    const { fields, dataTarSize, file, control } = unpack(builds[arch]);
    expect(fields).toMatchObject({
      Package: 'telemute',
      Version: version,
      Depends: 'libc, node, libstdcpp, libgcc',
      Architecture: arch,
      SourceDateEpoch: String(EPOCH),
      'Installed-Size': String(dataTarSize),
    });
    expect(file(control, './conffiles')!.data.toString()).toBe('/etc/config/telemute\n');
    expect(file(control, './postinst')!.data.toString()).toContain('default_postinst $0 $@');
    expect(file(control, './prerm')!.data.toString()).toContain('default_prerm $0 $@');
    for (const s of ['./postinst', './prerm', './postinst-pkg', './prerm-pkg']) expect(file(control, s)!.mode).toBe(0o755);
  });

  it.each([
    ['x86_64', 'x64', 62],
    ['aarch64_cortex-a53', 'arm64', 183],
  ])('ships the %s files with OpenWrt modes and the %s musl lmdb addon', (arch, lmdbArch, machine) => {
    const { data, file } = unpack(builds[arch]);
    const modes = Object.fromEntries(data.filter((e) => e.type === '0').map((e) => [e.name, e.mode]));
    expect(modes).toEqual({
      './etc/config/telemute': 0o600,
      './etc/init.d/telemute': 0o755,
      './etc/uci-defaults/telemute': 0o644,
      './lib/upgrade/keep.d/telemute': 0o644,
      [`./usr/lib/telemute/prebuilds/linux-${lmdbArch}/node.napi.musl.node`]: 0o644,
      './usr/lib/telemute/telemute-dnsmasq.sh': 0o755,
      './usr/lib/telemute/telemute.mjs': 0o644,
    });
    for (const e of data) expect([e.uid, e.gid, e.mtime]).toEqual([0, 0, EPOCH]);
    expect(file(data, './lib/upgrade/keep.d/telemute')!.data.toString()).toBe('/etc/telemute/\n');
    expect(file(data, './usr/lib/telemute/telemute.mjs')!.data.toString()).toBe(fs.readFileSync(bundle, 'utf8'));

    const addon = file(data, `./usr/lib/telemute/prebuilds/linux-${lmdbArch}/node.napi.musl.node`)!.data;
    expect(addon.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(addon.readUInt16LE(18)).toBe(machine); // e_machine: EM_X86_64 / EM_AARCH64
    // The musl build, not the glibc one: same as npm's node.napi.musl.node, or that stripped.
    const npm = npmAddon(lmdbArch);
    if (addon.length === npm.length) expect(addon.equals(npm)).toBe(true);
    else {
      expect(addon.length).toBeLessThan(npm.length);
      const copy = path.join(tmp, `addon-${lmdbArch}`);
      fs.writeFileSync(copy, npm);
      return run('llvm-strip', ['--strip-debug', copy], {}).then(() => expect(addon.equals(fs.readFileSync(copy))).toBe(true));
    }
  });

  it('builds byte-identical packages twice', () => {
    const hash = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
    expect(hash(builds.again)).toBe(hash(builds.x86_64));
  });

  it('refuses an arch lmdb has no musl addon for', async () => {
    await expect(build('mipsel_24kc', path.join(tmp, 'c'))).rejects.toThrow(/unsupported arch/);
  });
});

describe('openwrt/Makefile', () => {
  const makefile = fs.readFileSync(path.join(repoRoot, 'openwrt/Makefile'), 'utf8');

  it('has the package.json version', () => {
    expect(makefile).toMatch(new RegExp(`^PKG_VERSION:=${version.replace(/\./g, '\\.')}$`, 'm'));
  });

  it('pins the sha256 of the same lmdb tarballs build-ipk.sh checks', () => {
    for (const lmdbArch of ['x64', 'arm64']) {
      const tgz = fs.readFileSync(path.join(cache, `lmdb-lmdb-linux-${lmdbArch}-3.5.6.tgz`));
      expect(makefile).toContain(crypto.createHash('sha256').update(tgz).digest('hex'));
    }
  });
});
