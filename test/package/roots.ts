/**
 * Scratch OpenWrt roots for the real package managers (opkg-lede as in 24.10,
 * apk-tools v3 as in 25.12, both built from the pinned sources by
 * scripts/package/build-pkgtools.sh).
 *
 * How a router is faked: Debian's static busybox as /bin/busybox with a link per
 * applet (/bin/sh is ash, as on OpenWrt), base-files' real /lib/functions.sh, a
 * stand-in /etc/init.d/rpcd and /sbin/uci that only log their arguments, and
 * libc / luci-base / quickjs as stand-in packages made with the real tools
 * (OpenWrt's scripts/ipkg-build, `apk mkpkg`): they carry the names and
 * versions the app depends on, and quickjs a /usr/bin/qjs script. "As on a
 * router" means the package manager runs inside a chroot of that root, in
 * private mount and PID namespaces (its own /proc), so a script that signals
 * "every rpcd" sees only the processes of that namespace (/dev/null is the host's, bound in).
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO, tempDir } from './helpers';

/** The pkgtools directory (bin/apk, bin/opkg, bin/po2lmo, openwrt/…), built once and cached. */
export function pkgtools(): string {
  const r = spawnSync(join(REPO, 'scripts/package/build-pkgtools.sh'), { encoding: 'utf8', timeout: 900_000 });
  if (r.status !== 0) throw new Error(`build-pkgtools.sh failed:\n${r.stderr}`);
  return r.stdout.trim();
}

const BUSYBOX = '/bin/busybox';

export function ensureBusybox(): void {
  execFileSync(join(REPO, 'scripts/ensure-debs.sh'), ['busybox-static'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const list = spawnSync(BUSYBOX, ['--list'], { encoding: 'utf8' });
  if (list.status !== 0) throw new Error(`no static busybox at ${BUSYBOX}`);
}

function put(path: string, text: string | Buffer, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, mode);
}

/** Copy a host binary and the shared libraries ldd names into the root, at the same paths. */
function installBinary(root: string, from: string, to: string): void {
  put(join(root, to), readFileSync(from), 0o755);
  const ldd = spawnSync('ldd', [from], { encoding: 'utf8' });
  for (const m of ldd.stdout.matchAll(/(\/\S+\.so[.\d]*)/g)) {
    const lib = m[1] as string;
    if (!existsSync(join(root, lib))) put(join(root, lib), readFileSync(lib), 0o755);
  }
}

export type Manager = 'opkg' | 'apk';

export interface Root {
  dir: string;
  manager: Manager;
  /** Lines the stand-in /etc/init.d/rpcd logged (`reload`, …). */
  rpcdCalls(): string[];
  /** Lines the stand-in uci logged. */
  uciCalls(): string[];
  /** Every file and symlink below the root (relative), for before/after comparisons. */
  files(): string[];
}

const FIREWALL = "config defaults\n\toption flow_offloading '1'\n\toption flow_offloading_hw '0'\n";
export const FIREWALL_CONFIG = FIREWALL;

/** A fresh root laid out like OpenWrt, with the package manager inside it. */
export function makeRoot(manager: Manager, opts: { initScript?: boolean } = {}): Root {
  const tools = pkgtools();
  const dir = tempDir(`root-${manager}`);
  for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'lib', 'etc/init.d', 'etc/config', 'tmp', 'var/lock', 'proc', 'dev', 'overlay'])
    mkdirSync(join(dir, d), { recursive: true });
  chmodSync(join(dir, 'tmp'), 0o1777);
  put(join(dir, 'bin/busybox'), readFileSync(BUSYBOX), 0o755);
  for (const applet of execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean))
    if (!existsSync(join(dir, 'bin', applet))) symlinkSync('busybox', join(dir, 'bin', applet));
  put(join(dir, 'lib/functions.sh'), readFileSync(join(tools, 'openwrt/functions.sh')));
  if (opts.initScript !== false) put(join(dir, 'etc/init.d/rpcd'), '#!/bin/sh\necho "$*" >> /tmp/test-rpcd.log\n', 0o755);
  put(join(dir, 'sbin/uci'), '#!/bin/sh\necho "$*" >> /tmp/test-uci.log\n', 0o755);
  put(join(dir, 'etc/config/firewall'), FIREWALL);
  if (manager === 'opkg') {
    installBinary(dir, join(tools, 'bin/opkg'), '/bin/opkg');
    put(join(dir, 'etc/opkg.conf'), 'dest root /\nlists_dir ext /var/opkg-lists\narch all 1\narch noarch 1\narch x86_64 10\n');
    mkdirSync(join(dir, 'usr/lib/opkg'), { recursive: true });
  } else {
    installBinary(dir, join(tools, 'bin/apk'), '/usr/bin/apk');
  }
  const lines = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean) : []);
  return {
    dir,
    manager,
    rpcdCalls: () => lines('tmp/test-rpcd.log'),
    uciCalls: () => lines('tmp/test-uci.log'),
    files: () => walkAll(dir),
  };
}

function walkAll(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const st = lstatSync(join(dir, r));
    if (st.isDirectory()) out.push(...walkAll(dir, r));
    else out.push(r);
  }
  return out;
}

export type Result = Pick<SpawnSyncReturns<string>, 'status' | 'stdout' | 'stderr'>;

/** The package manager from outside, into the root, with IPKG_INSTROOT set: an image build. */
export function offline(root: Root, args: string[]): Result {
  const tools = pkgtools();
  const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', IPKG_INSTROOT: root.dir };
  const [cmd, argv] =
    root.manager === 'opkg'
      ? [join(tools, 'bin/opkg'), ['-o', root.dir, '-f', join(root.dir, 'etc/opkg.conf'), ...args]]
      : [join(tools, 'bin/apk'), ['--root', root.dir, '--preserve-env', '--force-no-chroot', '--no-interactive', '--no-network', ...args]];
  return spawnSync(cmd, argv, { encoding: 'utf8', env, timeout: 60_000 });
}

/**
 * A shell command inside the root as on a router: chroot, private mount and PID
 * namespaces with their own /proc, a router's PATH and no IPKG_INSTROOT.
 */
export function onRouter(root: Root, command: string): Result {
  return spawnSync(
    'unshare',
    ['--mount', '--pid', '--fork', '--', '/bin/sh', '-c', 'mount -t proc proc "$1/proc" && : > "$1/dev/null" && mount --bind /dev/null "$1/dev/null" && exec chroot "$1" /bin/sh -c "$2"', 'sh', root.dir, command],
    { encoding: 'utf8', env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, timeout: 60_000 },
  );
}

/** The package manager's own command line on the router. */
export function managerCmd(root: Root, args: string): string {
  return root.manager === 'opkg' ? `opkg ${args}` : `apk --no-interactive --no-network ${args}`;
}

/** Copy a package file into the root's /tmp (where a user would scp it). */
export function upload(root: Root, file: string): string {
  const name = file.split('/').at(-1) as string;
  copyFileSync(file, join(root.dir, 'tmp', name));
  return `/tmp/${name}`;
}

/**
 * A stand-in package made with the real tools: an .ipk by OpenWrt's
 * scripts/ipkg-build, an .apk by `apk mkpkg`, with the given files.
 */
export function standIn(manager: Manager, name: string, version: string, files: Record<string, { data: string; mode: number }> = {}): string {
  const tools = pkgtools();
  const work = tempDir(`standin-${name}`);
  const tree = join(work, 'tree');
  mkdirSync(tree);
  for (const [path, f] of Object.entries(files)) put(join(tree, path), f.data, f.mode);
  const out = join(work, 'out');
  mkdirSync(out);
  const env = { ...process.env, SOURCE_DATE_EPOCH: '1735689600' };
  if (manager === 'opkg') {
    put(join(tree, 'CONTROL/control'), `Package: ${name}\nVersion: ${version}\nArchitecture: all\nInstalled-Size: 0\nDescription: stand-in for ${name} (test)\n`);
    execFileSync('bash', [join(tools, 'openwrt/ipkg-build'), tree, out], { env, stdio: 'ignore' });
    return join(out, `${name}_${version}_all.ipk`);
  }
  const file = join(out, `${name}-${version}.apk`);
  execFileSync(join(tools, 'bin/apk'), ['mkpkg', '--info', `name:${name}`, '--info', `version:${version}`, '--info', 'arch:noarch', '--info', `description:stand-in for ${name} (test)`, '--files', tree, '--output', file], { env });
  return file;
}

/** The stand-ins every scratch router gets: libc and luci-base; quickjs separately. */
export function baseStandIns(manager: Manager): { libc: string; luciBase: string; quickjs: string } {
  const v = manager === 'opkg' ? '1.0-1' : '1.0-r1';
  return {
    libc: standIn(manager, 'libc', v),
    luciBase: standIn(manager, 'luci-base', v, { 'www/luci-static/resources/luci.js': { data: '// stand-in\n', mode: 0o644 } }),
    quickjs: standIn(manager, 'quickjs', manager === 'opkg' ? '2025.09.13-1' : '2025.09.13-r1', {
      'usr/bin/qjs': { data: '#!/bin/sh\necho "stand-in qjs"\n', mode: 0o755 },
    }),
  };
}
