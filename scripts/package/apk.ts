import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BuiltPackage } from './ipk';
import type { PackageSpec } from './spec';

/**
 * An .apk for OpenWrt 25.12 (apk-tools v3, ADB format), made by the real
 * `apk mkpkg` the way include/package-pack.mk calls it with CONFIG_USE_APK:
 * the install tree plus lib/apk/packages/<name>.list, and the scripts
 * post-install / post-upgrade / pre-deinstall (and post-deinstall when the
 * package has a postrm) generated from the package's own postinst/prerm/postrm.
 */

const FUNCTIONS = ['[ -s ${IPKG_INSTROOT}/lib/functions.sh ] || exit 0', '. ${IPKG_INSTROOT}/lib/functions.sh'];

/** package-pack.mk drops every `#!` line of a package script it appends (`sed '/^\s*#!/d'`). */
function body(script: string | undefined): string {
  if (script === undefined) return '';
  return script
    .split('\n')
    .filter((l, i, all) => !/^\s*#!/.test(l) && !(i === all.length - 1 && l === ''))
    .map((l) => l + '\n')
    .join('');
}

/** The scripts package-pack.mk writes for apk, by apk script name. */
export function apkScripts(spec: PackageSpec): Array<[string, string]> {
  const head = ['#!/bin/sh', ...FUNCTIONS, 'export root="${IPKG_INSTROOT}"', `export pkgname="${spec.name}"`];
  const postInstall = ['#!/bin/sh', '[ "${IPKG_NO_SCRIPT}" = "1" ] && exit 0', ...head.slice(1), 'add_group_and_user', 'default_postinst'].join('\n') + '\n' + body(spec.postinst);
  const postUpgrade = '#!/bin/sh\nexport PKG_UPGRADE=1\n' + body(postInstall);
  const preDeinstall = [...head, 'default_prerm'].join('\n') + '\n' + body(spec.prerm);
  const scripts: Array<[string, string]> = [
    ['post-install', postInstall],
    ['post-upgrade', postUpgrade],
    ['pre-deinstall', preDeinstall],
  ];
  // `sed -zi 's/^\s*#!/#!/'`: only leading blanks before the shebang go.
  if (spec.postrm !== undefined) scripts.push(['post-deinstall', spec.postrm.replace(/^\s*#!/, '#!')]);
  return scripts;
}

/** `<name>-<version>.apk`, as package-pack.mk names it (no ABI version for this package). */
export function apkFileName(spec: PackageSpec): string {
  return `${spec.name}-${spec.apkVersion}.apk`;
}

/** The `--info` options package-pack.mk passes to `apk mkpkg`, in its order. */
export function apkInfo(spec: PackageSpec): Array<[string, string]> {
  return [
    ['name', spec.name],
    ['version', spec.apkVersion],
    ['description', spec.description.replace(/\s+/g, ' ').trim()],
    ['arch', spec.arch === 'all' ? 'noarch' : spec.arch],
    ['license', spec.license],
    ['origin', spec.source],
    ['url', spec.url],
    ['maintainer', spec.maintainer],
    ['depends', spec.depends.join(' ')],
  ];
}

/**
 * Build the .apk with `apk` (the binary from scripts/package/build-pkgtools.sh).
 * Reproducible: apk mkpkg stamps every file with SOURCE_DATE_EPOCH and sorts
 * the tree; owner and group are root (run in a user namespace as root when the
 * caller is not, as the SDK runs it under fakeroot).
 */
export function buildApk(spec: PackageSpec, epoch: number, apk: string): BuiltPackage {
  const work = mkdtempSync(join(tmpdir(), 'offload-apk-'));
  try {
    const idir = join(work, 'ipkg');
    const adir = join(work, 'apk');
    mkdirSync(idir);
    mkdirSync(adir);
    for (const f of spec.files) {
      const path = join(idir, f.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.data);
      chmodSync(path, f.mode);
    }
    const list = spec.files.map((f) => `/${f.path}`).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    mkdirSync(join(idir, 'lib/apk/packages'), { recursive: true });
    writeFileSync(join(idir, `lib/apk/packages/${spec.name}.list`), list.join('\n') + '\n');
    chmodSync(join(idir, `lib/apk/packages/${spec.name}.list`), 0o644);
    fixDirs(idir, spec.files.map((f) => f.path).concat(`lib/apk/packages/${spec.name}.list`), epoch);

    const args = ['mkpkg'];
    for (const [k, v] of apkInfo(spec)) args.push('--info', `${k}:${v}`);
    for (const [name, text] of apkScripts(spec)) {
      writeFileSync(join(adir, name), text);
      args.push('--script', `${name}:${join(adir, name)}`);
    }
    const out = join(work, apkFileName(spec));
    args.push('--files', idir, '--output', out);
    const asRoot = process.getuid?.() === 0;
    const [cmd, argv] = asRoot ? [apk, args] : ['unshare', ['--map-root-user', apk, ...args]];
    const r = spawnSync(cmd, argv, { encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) } });
    if (r.error) throw new Error(`apk mkpkg: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`apk mkpkg exited ${r.status}: ${r.stderr}${r.stdout}`);
    return { fileName: apkFileName(spec), bytes: readFileSync(out) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Every directory 0755 (the umask does not leak into the package). */
function fixDirs(root: string, files: string[], epoch: number): void {
  const dirs = new Set<string>(['']);
  for (const f of files) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  for (const d of dirs) {
    chmodSync(join(root, d), 0o755);
    utimesSync(join(root, d), epoch, epoch);
  }
}
