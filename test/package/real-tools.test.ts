/**
 * The packages under the real package managers: opkg-lede (OpenWrt 24.10's)
 * and apk-tools v3 (25.12's), built from the pinned sources. Each format is
 * installed into scratch roots (see roots.ts for how a router is faked):
 * refused without quickjs; installed offline with IPKG_INSTROOT as an image
 * build does; installed, upgraded and removed inside a busybox chroot in
 * private PID and mount namespaces, as on a router.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApk } from '../../scripts/package/apk';
import { buildIpk, wrapper } from '../../scripts/package/ipk';
import { sourceDateEpoch } from '../../scripts/package/meta';
import { specs } from '../../scripts/package/packages';
import type { PackageSpec } from '../../scripts/package/spec';
import { PKG_SRC, RELEASE, REPO, VERSION, make, removeTempDirs, tempDir } from './helpers';
import { FIREWALL_CONFIG, baseStandIns, ensureBusybox, makeRoot, managerCmd, offline, onRouter, pkgtools, upload, type Manager, type Root } from './roots';

/** What the app puts on the router, with modes (files only; directories are 0755). */
const APP_FILES: Record<string, number> = {
  'usr/libexec/rpcd/luci.offload': 0o755,
  'usr/share/luci/menu.d/luci-app-offload.json': 0o644,
  'usr/share/rpcd/acl.d/luci-app-offload.json': 0o644,
  'www/luci-static/resources/offload/app.css': 0o644,
  'www/luci-static/resources/offload/app.js': 0o644,
  'www/luci-static/resources/view/offload.js': 0o644,
};
const OLD_ONLY = 'usr/share/luci-app-offload-old/only-in-0.9.0.txt';

interface Built {
  app: string;
  /** Translation package name → file. */
  i18n: Record<string, string>;
  oldApp: string;
  standIns: { libc: string; luciBase: string; quickjs: string };
}
const built = {} as Record<Manager, Built>;
let tools = '';
let epoch = 0;

function write(spec: PackageSpec, manager: Manager, out: string): string {
  const b = manager === 'opkg' ? buildIpk(spec, epoch) : buildApk(spec, epoch, join(tools, 'bin/apk'));
  writeFileSync(join(out, b.fileName), b.bytes);
  return join(out, b.fileName);
}

beforeAll(() => {
  // chroot and the PID namespace need root, as the platform tier does.
  if (process.getuid?.() !== 0) throw new Error('the real package manager tests need root (chroot, unshare --pid); run make test as root');
  make('handler', 'panel');
  tools = pkgtools();
  ensureBusybox();
  epoch = sourceDateEpoch(REPO);
  // The previous version: 0.9.0, shipping one file the current version no longer has.
  const oldSrc = join(tempDir('old-src'), 'luci-app-offload');
  cpSync(PKG_SRC, oldSrc, { recursive: true });
  mkdirSync(join(oldSrc, 'root', OLD_ONLY, '..'), { recursive: true });
  writeFileSync(join(oldSrc, 'root', OLD_ONLY), 'old\n');
  const cur = specs({ repo: REPO, pkgDir: PKG_SRC, out: '', tools, format: '' });
  const old = specs({ repo: REPO, pkgDir: oldSrc, out: '', tools, format: '', version: '0.9.0' });
  for (const m of ['opkg', 'apk'] as const) {
    const out = tempDir(`pkgs-${m}`);
    built[m] = {
      app: write(cur[0] as PackageSpec, m, out),
      i18n: Object.fromEntries(cur.slice(1).map((spec) => [spec.name, write(spec, m, out)])),
      oldApp: write(old[0] as PackageSpec, m, out),
      standIns: baseStandIns(m),
    };
  }
}, 900_000);

afterAll(removeTempDirs);

/** Install commands per manager (local files; apk needs --allow-untrusted for unsigned packages). */
const add = (m: Manager, files: string) => (m === 'opkg' ? `install ${files}` : `add --allow-untrusted ${files}`);
const del = (m: Manager, name: string) => (m === 'opkg' ? `remove ${name}` : `del ${name}`);
const offlineAdd = (root: Root, files: string[], extra: string[] = []): ReturnType<typeof offline> =>
  offline(root, root.manager === 'opkg' ? ['install', ...extra, ...files] : ['add', '--initdb', '--allow-untrusted', ...extra, ...files]);

/** A root with the stand-in libc and luci-base installed (offline), quickjs not. */
function baseRoot(m: Manager, opts: { initScript?: boolean } = {}): Root {
  const root = makeRoot(m, opts);
  const r = offlineAdd(root, [built[m].standIns.libc, built[m].standIns.luciBase]);
  expect(r.status, r.stderr + r.stdout).toBe(0);
  return root;
}

function installedVersion(root: Root, name: string): string | undefined {
  if (root.manager === 'opkg') {
    const status = readFileSync(join(root.dir, 'usr/lib/opkg/status'), 'utf8');
    const entry = status.split('\n\n').find((e) => e.startsWith(`Package: ${name}\n`));
    return entry ? /^Version: (.*)$/m.exec(entry)?.[1] : undefined;
  }
  const db = readFileSync(join(root.dir, 'lib/apk/db/installed'), 'utf8');
  const entry = db.split('\n\n').find((e) => e.split('\n').includes(`P:${name}`));
  return entry ? /^V:(.*)$/m.exec(entry)?.[1] : undefined;
}

/** State files of the package managers themselves, left out when comparing a root before and after. */
const MANAGER_STATE = /^(usr\/lib\/opkg\/|lib\/apk\/db\/|etc\/apk\/|var\/|tmp\/test-)/;

describe.each(['opkg', 'apk'] as const)('%s', (m) => {
  const appVersion = m === 'opkg' ? `${VERSION}-${RELEASE}` : `${VERSION}-r${RELEASE}`;

  it('refuses the app without quickjs, and installs nothing of it', () => {
    const root = baseRoot(m);
    const r = offlineAdd(root, [built[m].app]);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(m === 'opkg' ? /cannot find dependency quickjs for luci-app-offload/ : /quickjs \(no such package\)/);
    expect(existsSync(join(root.dir, 'usr/libexec/rpcd/luci.offload'))).toBe(false);
    expect(installedVersion(root, 'luci-app-offload')).toBeUndefined();
    if (m === 'opkg')
      for (const force of [['--force-depends'], ['--nodeps'], ['--force-depends', '--nodeps']]) {
        // README used to promise --force-depends would install it anyway; real opkg does not.
        const f = offlineAdd(root, [built[m].app], force);
        expect(f.status, force.join(' ')).not.toBe(0);
        expect(existsSync(join(root.dir, 'usr/libexec/rpcd/luci.offload')), force.join(' ')).toBe(false);
      }
  });

  it('offline (IPKG_INSTROOT, an image build): every file where LuCI and rpcd expect it, with its mode; the scripts do nothing', () => {
    const root = baseRoot(m);
    const r = offlineAdd(root, [built[m].standIns.quickjs, built[m].app]);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(installedVersion(root, 'luci-app-offload')).toBe(appVersion);
    for (const [path, mode] of Object.entries(APP_FILES)) {
      const st = statSync(join(root.dir, path));
      expect({ path, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid }).toEqual({ path, mode, uid: 0, gid: 0 });
      expect(readFileSync(join(root.dir, path)).equals(readFileSync(join(PKG_SRC, path.startsWith('www/') ? `htdocs/${path.slice(4)}` : `root/${path}`))), path).toBe(true);
    }
    expect(readFileSync(join(root.dir, 'usr/libexec/rpcd/luci.offload'), 'utf8').split('\n')[0]).toBe('#!/usr/bin/qjs');
    // The package manager's own file list: exactly these files (apk's .list, made before it is added, names the others).
    const list =
      m === 'opkg'
        ? readFileSync(join(root.dir, 'usr/lib/opkg/info/luci-app-offload.list'), 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t')[0] as string)
        : readFileSync(join(root.dir, 'lib/apk/packages/luci-app-offload.list'), 'utf8').split('\n').filter(Boolean);
    const expected = Object.keys(APP_FILES).map((p) => `/${p}`);
    expect(list.sort()).toEqual(expected.sort());
    expect(root.rpcdCalls()).toEqual([]);
    expect(root.uciCalls()).toEqual([]);
    expect(readFileSync(join(root.dir, 'etc/config/firewall'), 'utf8')).toBe(FIREWALL_CONFIG);
  });

  it('on a router: install reloads rpcd through /etc/init.d/rpcd and clears LuCI’s caches, nothing else', () => {
    const root = baseRoot(m);
    mkdirSync(join(root.dir, 'tmp/luci-modulecache'));
    writeFileSync(join(root.dir, 'tmp/luci-modulecache/x'), '');
    writeFileSync(join(root.dir, 'tmp/luci-indexcache.0123abcd.json'), '{}');
    const q = upload(root, built[m].standIns.quickjs);
    const a = upload(root, built[m].app);
    const r = onRouter(root, managerCmd(root, add(m, `${q} ${a}`)));
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(root.rpcdCalls()).toEqual(['reload']);
    expect(existsSync(join(root.dir, 'tmp/luci-modulecache'))).toBe(false);
    expect(existsSync(join(root.dir, 'tmp/luci-indexcache.0123abcd.json'))).toBe(false);
    expect(root.uciCalls()).toEqual([]);
    expect(readFileSync(join(root.dir, 'etc/config/firewall'), 'utf8')).toBe(FIREWALL_CONFIG);
    expect(r.stderr).toBe('');
  });

  it('on a router: upgrade from the previous version replaces its files, reloads rpcd, leaves the firewall alone', () => {
    const root = baseRoot(m);
    const q = upload(root, built[m].standIns.quickjs);
    const old = upload(root, built[m].oldApp);
    expect(onRouter(root, managerCmd(root, add(m, `${q} ${old}`))).status).toBe(0);
    expect(installedVersion(root, 'luci-app-offload')).toBe(m === 'opkg' ? `0.9.0-${RELEASE}` : `0.9.0-r${RELEASE}`);
    expect(existsSync(join(root.dir, OLD_ONLY))).toBe(true);
    const a = upload(root, built[m].app);
    // opkg install of a newer version is its upgrade; apk add of a newer version too.
    const r = onRouter(root, managerCmd(root, add(m, a)));
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(installedVersion(root, 'luci-app-offload')).toBe(appVersion);
    expect(existsSync(join(root.dir, OLD_ONLY))).toBe(false);
    for (const path of Object.keys(APP_FILES)) expect(existsSync(join(root.dir, path)), path).toBe(true);
    // install: reload; upgrade: opkg runs the old postrm and the new postinst, apk the new post-upgrade.
    expect(root.rpcdCalls()).toEqual(m === 'opkg' ? ['reload', 'reload', 'reload'] : ['reload', 'reload']);
    expect(root.uciCalls()).toEqual([]);
    expect(readFileSync(join(root.dir, 'etc/config/firewall'), 'utf8')).toBe(FIREWALL_CONFIG);
  });

  it('on a router: removal leaves no file behind, reloads rpcd, leaves the firewall alone', () => {
    const root = baseRoot(m);
    const q = upload(root, built[m].standIns.quickjs);
    expect(onRouter(root, managerCmd(root, add(m, q))).status).toBe(0);
    const a = upload(root, built[m].app);
    const before = root.files().filter((f) => !MANAGER_STATE.test(f));
    expect(onRouter(root, managerCmd(root, add(m, a))).status).toBe(0);
    const r = onRouter(root, managerCmd(root, del(m, 'luci-app-offload')));
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(installedVersion(root, 'luci-app-offload')).toBeUndefined();
    expect(root.files().filter((f) => !MANAGER_STATE.test(f))).toEqual(before);
    expect(root.rpcdCalls()).toEqual(['reload', 'reload']);
    expect(root.uciCalls()).toEqual([]);
    expect(readFileSync(join(root.dir, 'etc/config/firewall'), 'utf8')).toBe(FIREWALL_CONFIG);
  });

  it('without an init script the fallback HUPs the rpcd of its own PID namespace only', async () => {
    const root = baseRoot(m, { initScript: false });
    // The router's "rpcd": a busybox sh loop named rpcd that logs each SIGHUP.
    writeFileSync(join(root.dir, 'sbin/rpcd'), '#!/bin/sh\ntrap \'echo HUP >> /tmp/test-hup.log\' HUP\nwhile :; do sleep 1; done\n');
    chmodSync(join(root.dir, 'sbin/rpcd'), 0o755);
    // A process named rpcd outside the namespace, which must never be signalled.
    const decoyDir = tempDir('decoy');
    writeFileSync(join(decoyDir, 'rpcd'), `#!/bin/sh\ntrap 'echo HUP >> ${decoyDir}/hup.log' HUP\nwhile :; do sleep 1; done\n`);
    chmodSync(join(decoyDir, 'rpcd'), 0o755);
    const decoy = spawn(join(decoyDir, 'rpcd'), [], { stdio: 'ignore' });
    try {
      await new Promise((res) => setTimeout(res, 200));
      const q = upload(root, built[m].standIns.quickjs);
      const a = upload(root, built[m].app);
      const r = onRouter(root, `/sbin/rpcd & sleep 0.3; ${managerCmd(root, add(m, `${q} ${a}`))} && sleep 1.5`);
      expect(r.status, r.stderr + r.stdout).toBe(0);
      expect(readFileSync(join(root.dir, 'tmp/test-hup.log'), 'utf8')).toBe('HUP\n');
      expect(existsSync(join(decoyDir, 'hup.log'))).toBe(false);
    } finally {
      decoy.kill('SIGKILL');
    }
  });

  it.each([
    { code: 'de', uci: 'set luci.languages.de=Deutsch (German)' },
    { code: 'zh-cn', uci: 'set luci.languages.zh_cn=简体中文 (Simplified Chinese)' },
  ])('luci-i18n-offload-$code: refused without the app; with it the catalogue lands and registers its language through uci-defaults', ({ code, uci }) => {
    const name = `luci-i18n-offload-${code}`;
    const root = baseRoot(m);
    const i = upload(root, built[m].i18n[name] as string);
    expect(onRouter(root, managerCmd(root, add(m, i))).status).not.toBe(0);
    expect(existsSync(join(root.dir, `usr/lib/lua/luci/i18n/offload.${code}.lmo`))).toBe(false);
    const q = upload(root, built[m].standIns.quickjs);
    const a = upload(root, built[m].app);
    const r = onRouter(root, managerCmd(root, add(m, `${q} ${a} ${i}`)));
    expect(r.status, r.stderr + r.stdout).toBe(0);
    const lmo = readFileSync(join(root.dir, `usr/lib/lua/luci/i18n/offload.${code}.lmo`));
    expect(lmo.length).toBeGreaterThan(100);
    // base-files' default_postinst runs the uci-defaults script, deletes it, and commits.
    expect(root.uciCalls()).toEqual([uci, 'commit luci', 'commit']);
    expect(existsSync(join(root.dir, `etc/uci-defaults/${name}`))).toBe(false);
    expect(installedVersion(root, name)).toBe(`${VERSION}-r${RELEASE}`);
    expect(onRouter(root, managerCmd(root, del(m, name))).status).toBe(0);
    expect(existsSync(join(root.dir, `usr/lib/lua/luci/i18n/offload.${code}.lmo`))).toBe(false);
  });
});

describe('formats against the real tools', () => {
  it('the .ipk is byte for byte what OpenWrt’s scripts/ipkg-build makes of the same tree and CONTROL', () => {
    const spec = specs({ repo: REPO, pkgDir: PKG_SRC, out: '', tools, format: '' })[0] as PackageSpec;
    const ours = buildIpk(spec, epoch);
    const tree = join(tempDir('ipkg-build'), 'pkg');
    for (const f of spec.files) {
      mkdirSync(join(tree, f.path, '..'), { recursive: true });
      writeFileSync(join(tree, f.path), f.data);
      chmodSync(join(tree, f.path), f.mode);
    }
    const control = join(tree, 'CONTROL');
    mkdirSync(control);
    const files: Array<[string, string, number]> = [
      ['control', ours.control.replace(/^Installed-Size: .*$/m, 'Installed-Size: 0'), 0o644],
      ['postinst', wrapper('default_postinst'), 0o755],
      ['prerm', wrapper('default_prerm'), 0o755],
      ['postinst-pkg', spec.postinst as string, 0o755],
      ['postrm', spec.postrm as string, 0o755],
    ];
    for (const [name, text, mode] of files) {
      writeFileSync(join(control, name), text);
      chmodSync(join(control, name), mode);
    }
    execFileSync('find', [tree, '-type', 'd', '-exec', 'chmod', '0755', '{}', '+']);
    const out = tempDir('ipkg-build-out');
    const cmd = process.getuid?.() === 0 ? ['bash'] : ['unshare', '--map-root-user', 'bash'];
    execFileSync(cmd[0] as string, [...cmd.slice(1), join(tools, 'openwrt/ipkg-build'), tree, out], {
      env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) },
      stdio: 'ignore',
    });
    expect(readFileSync(join(out, ours.fileName)).equals(ours.bytes)).toBe(true);
  });

  it('versions sort as the docs say: opkg puts 24.10’s 1.0.0-1 below 1.0.0-r1; both managers see 0.9.0 below the release', () => {
    const opkg = join(tools, 'bin/opkg');
    const conf = join(tempDir('opkg-conf'), 'opkg.conf');
    writeFileSync(conf, 'dest root /\n');
    const cmp = (a: string, op: string, b: string) => spawnSync(opkg, ['-f', conf, 'compare-versions', a, op, b]).status === 0;
    expect(cmp(`${VERSION}-1`, '<<', `${VERSION}-r1`)).toBe(true);
    expect(cmp(`0.9.0-${RELEASE}`, '<<', `${VERSION}-${RELEASE}`)).toBe(true);
    const apk = join(tools, 'bin/apk');
    expect(execFileSync(apk, ['version', '-t', `0.9.0-r${RELEASE}`, `${VERSION}-r${RELEASE}`], { encoding: 'utf8' }).trim()).toBe('<');
    // apk accepts the version it is given (its own check, `apk version -c`).
    expect(spawnSync(apk, ['version', '-c', `${VERSION}-r${RELEASE}`]).status).toBe(0);
  });
});
