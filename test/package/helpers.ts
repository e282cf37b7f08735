/** Shared helpers for the packaging tests: run make, read archives with the system tar, stub OpenWrt tools. */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const PKG_SRC = join(REPO, 'luci-app-offload');
export const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
export const RELEASE = /^PKG_RELEASE:=(\d+)$/m.exec(readFileSync(join(PKG_SRC, 'Makefile'), 'utf8'))?.[1] ?? 'missing';
/** `<version>-<release>`, as the 24.10 SDK's luci.mk names it; the .apk has `-r<release>` as 25.12's does. */
export const IPK_NAME = `luci-app-offload_${VERSION}-${RELEASE}_all.ipk`;
export const APK_NAME = `luci-app-offload-${VERSION}-r${RELEASE}.apk`;
export const APK = join(REPO, 'dist', APK_NAME);
export const IPK = join(REPO, 'dist', IPK_NAME);
export const FEED = join(REPO, 'dist', 'feed');
export const FEED_TARBALL = join(REPO, 'dist', `luci-app-offload-feed-${VERSION}.tar.gz`);

/**
 * `make <targets>` at the repository top; throws with make's output on failure.
 * Serialised by a lock, so test files running in parallel never build the same target at once.
 */
export function make(...targets: string[]): string {
  // A fresh make, not a sub-make of `make test` (whose jobserver this process does not hold).
  const { MAKEFLAGS: _f, MFLAGS: _m, MAKELEVEL: _l, ...env } = process.env;
  mkdirSync(join(REPO, '.cache'), { recursive: true });
  const r = spawnSync('flock', [join(REPO, '.cache/package-tests.lock'), 'make', ...targets], { cwd: REPO, encoding: 'utf8', timeout: 900_000, env });
  if (r.status !== 0) throw new Error(`make ${targets.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The SOURCE_DATE_EPOCH the builders use: the env value, else the last commit time. */
export function expectedEpoch(): number {
  if (process.env.SOURCE_DATE_EPOCH) return Number(process.env.SOURCE_DATE_EPOCH);
  return Number(execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: REPO, encoding: 'utf8' }).trim());
}

const temps: string[] = [];

/** A new directory under the system temp dir, removed by `removeTempDirs()`. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `offload-${prefix}-`));
  temps.push(dir);
  return dir;
}

/** Remove every directory `tempDir` made in this test file (call from afterAll). */
export function removeTempDirs(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** One member as GNU tar lists it (`tar -tv --numeric-owner --full-time`, UTC). */
export interface Member {
  type: string;
  mode: number;
  owner: string;
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  name: string;
}

const PERM_BITS = [0o400, 0o200, 0o100, 0o40, 0o20, 0o10, 0o4, 0o2, 0o1];

/** List an archive (gzip detected by tar) with the system tar. */
export function listTar(archive: string): Member[] {
  const out = execFileSync('tar', ['-tv', '--numeric-owner', '--full-time', '-f', archive], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return out
    .trimEnd()
    .split('\n')
    .map((line) => {
      const m = /^(\S)(\S{9}) (\d+\/\d+) +(\d+) (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (.+)$/.exec(line);
      if (!m) throw new Error(`unexpected tar listing line: ${line}`);
      const perms = m[2] as string;
      const mode = PERM_BITS.reduce((acc, bit, i) => (perms[i] !== '-' ? acc | bit : acc), 0);
      return {
        type: m[1] as string,
        mode,
        owner: m[3] as string,
        size: Number(m[4]),
        mtime: Date.parse(`${(m[5] as string).replace(' ', 'T')}Z`) / 1000,
        name: m[6] as string,
      };
    });
}

/** Extract an archive into a new temporary directory with the system tar. */
export function untar(archive: string, prefix = 'untar'): string {
  const dir = tempDir(prefix);
  execFileSync('tar', ['-x', '-f', archive, '-C', dir]);
  return dir;
}

/** Unpack an ipk: the outer tar, then data.tar.gz into data/ and control.tar.gz into control/. */
export function unpackIpk(ipk: string): { dir: string; data: string; control: string } {
  const dir = untar(ipk, 'ipk');
  const data = join(dir, 'data');
  const control = join(dir, 'control');
  mkdirSync(data);
  mkdirSync(control);
  execFileSync('tar', ['-x', '-z', '-f', join(dir, 'data.tar.gz'), '-C', data]);
  execFileSync('tar', ['-x', '-z', '-f', join(dir, 'control.tar.gz'), '-C', control]);
  return { dir, data, control };
}

/**
 * A directory of stand-ins for router commands: each appends `name args…` to
 * `log` and exits 0. Put it first on PATH to see what a script would run.
 */
export function stubTools(names: readonly string[]): { bin: string; log: string; calls: () => string[] } {
  const dir = tempDir('stubs');
  const bin = join(dir, 'bin');
  const log = join(dir, 'calls.log');
  mkdirSync(bin);
  writeFileSync(log, '');
  for (const name of names) {
    const path = join(bin, name);
    writeFileSync(path, `#!/bin/sh\necho "${name} $*" >> '${log}'\nexit 0\n`);
    chmodSync(path, 0o755);
  }
  return { bin, log, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

/** gzip header facts (RFC 1952): flags and MTIME. `gzip -n` stores neither a name (FNAME) nor a time. */
export function gzipHeader(bytes: Buffer): { magic: boolean; flags: number; mtime: number } {
  return { magic: bytes[0] === 0x1f && bytes[1] === 0x8b, flags: bytes[3] ?? -1, mtime: bytes.readUInt32LE(4) };
}
