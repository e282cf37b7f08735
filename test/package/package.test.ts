/**
 * The packages as a router and a firmware builder get them: `make release` runs
 * once (it builds the handler and the panel first), then the artefacts are
 * taken apart with the system tar and the real `apk adbdump` and checked entry
 * by entry. What the package managers do with them: real-tools.test.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APK,
  APK_NAME,
  FEED,
  FEED_TARBALL,
  IPK,
  IPK_NAME,
  PKG_SRC,
  RELEASE,
  REPO,
  VERSION,
  expectedEpoch,
  gzipHeader,
  listTar,
  make,
  removeTempDirs,
  stubTools,
  tempDir,
  unpackIpk,
  untar,
  type Member,
} from './helpers';
import { qjs } from '../helpers/qjs';
import { parsePo } from '../../scripts/gen-pot';

/** Everything the router gets, and nothing else: path → mode (directories end with '/'). */

/**
 * What a router stores per package: the handler (~28 KB gzip) plus the panel, whose own budget is
 * 35 KB gzip (issue 16: everything the panel adds to a LuCI page), the LuCI view, CSS and control
 * files. 60 KB held until the panel passed ~27 KB (2026-12-06: .ipk 66 505 bytes).
 */
const PACKAGE_BUDGET = 72 * 1024;

const EXPECTED_DATA: Record<string, number> = {
  './': 0o755,
  './usr/': 0o755,
  './usr/libexec/': 0o755,
  './usr/libexec/rpcd/': 0o755,
  './usr/libexec/rpcd/luci.offload': 0o755,
  './usr/share/': 0o755,
  './usr/share/luci/': 0o755,
  './usr/share/luci/menu.d/': 0o755,
  './usr/share/luci/menu.d/luci-app-offload.json': 0o644,
  './usr/share/rpcd/': 0o755,
  './usr/share/rpcd/acl.d/': 0o755,
  './usr/share/rpcd/acl.d/luci-app-offload.json': 0o644,
  './www/': 0o755,
  './www/luci-static/': 0o755,
  './www/luci-static/resources/': 0o755,
  './www/luci-static/resources/offload/': 0o755,
  './www/luci-static/resources/offload/app.css': 0o644,
  './www/luci-static/resources/offload/app.js': 0o644,
  './www/luci-static/resources/view/': 0o755,
  './www/luci-static/resources/view/offload.js': 0o644,
};

/** Router path (as in the data tar) → the file in the package source tree it must equal. */
function sourceOf(name: string): string {
  const p = name.replace(/^\.\//, '');
  return p.startsWith('www/') ? join(PKG_SRC, 'htdocs', p.slice(4)) : join(PKG_SRC, 'root', p);
}

/** The shell variables `VAR=value` a script would print for `KEY=value` lines of make output. */
function parseInfo(out: string): Record<string, string> {
  return Object.fromEntries(out.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

const SDK_POSTINST = '#!/bin/sh\n[ "${IPKG_NO_SCRIPT}" = "1" ] && exit 0\n[ -s ${IPKG_INSTROOT}/lib/functions.sh ] || exit 0\n. ${IPKG_INSTROOT}/lib/functions.sh\ndefault_postinst $0 $@\n';
const SDK_PRERM = '#!/bin/sh\n[ -s ${IPKG_INSTROOT}/lib/functions.sh ] || exit 0\n. ${IPKG_INSTROOT}/lib/functions.sh\ndefault_prerm $0 $@\n';

let epoch = 0;
let ipk: ReturnType<typeof unpackIpk>;
let outer: Member[];
let data: Member[];
let control: Member[];

const DIST = join(REPO, 'dist');
/** The translation packages luci.mk makes of po/<lang>/: package code (LUCI_LC_ALIAS), uci option, LUCI_LANG name. */
const I18N = [
  { lang: 'de', code: 'de', option: 'de', name: 'Deutsch (German)' },
  { lang: 'zh_Hans', code: 'zh-cn', option: 'zh_cn', name: '简体中文 (Simplified Chinese)' },
];
const i18nIpk = (code: string): string => `luci-i18n-offload-${code}_${VERSION}-r${RELEASE}_all.ipk`;
const i18nApk = (code: string): string => `luci-i18n-offload-${code}-${VERSION}-r${RELEASE}.apk`;
const RELEASE_FILES = [APK_NAME, `luci-app-offload-feed-${VERSION}.tar.gz`, IPK_NAME, ...I18N.flatMap((l) => [i18nApk(l.code), i18nIpk(l.code)])].sort();
const apkTool = () => join(REPO, '.cache/pkgtools/bin/apk');

beforeAll(() => {
  make('release');
  epoch = expectedEpoch();
  ipk = unpackIpk(IPK);
  outer = listTar(IPK);
  data = listTar(join(ipk.dir, 'data.tar.gz'));
  control = listTar(join(ipk.dir, 'control.tar.gz'));
}, 600_000);

afterAll(removeTempDirs);

describe('ipk container', () => {
  it("is dist/luci-app-offload_<version>-<release>_all.ipk (24.10 luci.mk's version): a gzip'd tar, not an ar archive", () => {
    expect(IPK_NAME).toBe(`luci-app-offload_${VERSION}-${RELEASE}_all.ipk`);
    const bytes = readFileSync(IPK);
    expect(bytes.subarray(0, 7).toString('latin1')).not.toBe('!<arch>');
    expect(gzipHeader(bytes).magic).toBe(true);
  });

  it('holds ./debian-binary, ./data.tar.gz, ./control.tar.gz in that order, owned 0/0, mode 0644, at SOURCE_DATE_EPOCH', () => {
    expect(outer.map((m) => m.name)).toEqual(['./debian-binary', './data.tar.gz', './control.tar.gz']);
    for (const m of outer) expect({ name: m.name, type: m.type, mode: m.mode, owner: m.owner, mtime: m.mtime }).toEqual({ name: m.name, type: '-', mode: 0o644, owner: '0/0', mtime: epoch });
    expect(readFileSync(join(ipk.dir, 'debian-binary'), 'utf8')).toBe('2.0\n');
  });

  it('every gzip layer was written like `gzip -n`: no file name, no timestamp', () => {
    for (const f of [IPK, join(ipk.dir, 'data.tar.gz'), join(ipk.dir, 'control.tar.gz')]) {
      const h = gzipHeader(readFileSync(f));
      expect(h).toEqual({ magic: true, flags: 0, mtime: 0 });
    }
  });

  it('stays within the size budget (72 KB)', () => {
    expect(statSync(IPK).size).toBeLessThanOrEqual(PACKAGE_BUDGET);
  });
});

describe('ipk control', () => {
  const fields = (): Array<[string, string]> =>
    readFileSync(join(ipk.control, 'control'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]);

  it('has every field, in package-pack.mk order, with the values from package.json and the Makefile', () => {
    const makefile = readFileSync(join(PKG_SRC, 'Makefile'), 'utf8');
    const maintainer = /^PKG_MAINTAINER:=(.+)$/m.exec(makefile)?.[1];
    const description = /^LUCI_DESCRIPTION:=(.+)$/m.exec(makefile)?.[1];
    const installed = gunzipSync(readFileSync(join(ipk.dir, 'data.tar.gz'))).length;
    expect(fields()).toEqual([
      ['Package', 'luci-app-offload'],
      ['Version', `${VERSION}-${RELEASE}`],
      ['Depends', 'libc, luci-base, quickjs'],
      ['Source', 'feeds/offload/luci-app-offload'],
      ['SourceName', 'luci-app-offload'],
      ['License', 'Apache-2.0'],
      ['Section', 'luci'],
      ['SourceDateEpoch', String(epoch)],
      ['URL', 'https://github.com/openwrt/luci'],
      ['Maintainer', maintainer],
      ['Architecture', 'all'],
      ['Installed-Size', String(installed)],
      ['Description', description],
    ]);
  });

  it('control.tar.gz holds the control file and the maintainer scripts, nothing else', () => {
    expect(control.map((m) => [m.name, m.type, m.mode, m.owner, m.mtime])).toEqual([
      ['./', 'd', 0o755, '0/0', epoch],
      ['./control', '-', 0o644, '0/0', epoch],
      ['./postinst', '-', 0o755, '0/0', epoch],
      ['./postinst-pkg', '-', 0o755, '0/0', epoch],
      ['./postrm', '-', 0o755, '0/0', epoch],
      ['./prerm', '-', 0o755, '0/0', epoch],
    ]);
  });

  it('postinst and prerm are the wrappers the SDK writes (default_postinst / default_prerm from base-files)', () => {
    expect(readFileSync(join(ipk.control, 'postinst'), 'utf8')).toBe(SDK_POSTINST);
    expect(readFileSync(join(ipk.control, 'prerm'), 'utf8')).toBe(SDK_PRERM);
  });
});

describe('ipk data: exactly what the router needs', () => {
  it('lists exactly the expected paths with their modes, owned 0/0, at SOURCE_DATE_EPOCH', () => {
    expect(Object.fromEntries(data.map((m) => [m.name, m.mode]))).toEqual(EXPECTED_DATA);
    expect(data.map((m) => m.name)).toEqual(Object.keys(EXPECTED_DATA)); // GNU tar --sort=name order
    for (const m of data) {
      expect(m.owner, m.name).toBe('0/0');
      expect(m.mtime, m.name).toBe(epoch);
      expect(m.type, m.name).toBe(m.name.endsWith('/') ? 'd' : '-');
    }
  });

  it('ships every file unchanged from the build (no re-minification, no rewriting)', () => {
    for (const m of data.filter((x) => x.type === '-')) {
      const shipped = readFileSync(join(ipk.data, m.name));
      expect(shipped.equals(readFileSync(sourceOf(m.name))), m.name).toBe(true);
      expect(m.size, m.name).toBe(shipped.length);
    }
  });

  it('the handler is the QuickJS build, executable, with the #!/usr/bin/qjs interpreter line', () => {
    const handler = join(ipk.data, 'usr/libexec/rpcd/luci.offload');
    expect(readFileSync(handler, 'utf8').split('\n')[0]).toBe('#!/usr/bin/qjs');
    expect(statSync(handler).mode & 0o777).toBe(0o755);
  });

  it('carries no source maps, sources, tests or dotfiles, and no reference to a map', () => {
    for (const m of data) expect(m.name).not.toMatch(/(^|\/)\.[^/]|\.(map|ts|tsx)$|\.(test|spec)\.|~$/);
    for (const m of data.filter((x) => /\.(js|css)$/.test(x.name) || x.name.endsWith('luci.offload')))
      expect(readFileSync(join(ipk.data, m.name), 'utf8'), m.name).not.toMatch(/sourceMappingURL=/);
  });

  it('the packaged handler answers `list` under the real QuickJS, as rpcd calls it', () => {
    const r = spawnSync(qjs(), [join(ipk.data, 'usr/libexec/rpcd/luci.offload'), 'list'], { encoding: 'utf8', input: '', timeout: 30_000 });
    expect(r.status).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout) as object)).toContain('status');
  });

  it('every resource the view loads is in the package', () => {
    const view = readFileSync(join(ipk.data, 'www/luci-static/resources/view/offload.js'), 'utf8');
    const resources = [...view.matchAll(/L\.resource\('([^']+)'\)/g)].map((m) => m[1] as string);
    expect(resources.length).toBeGreaterThan(0);
    for (const r of resources) expect(existsSync(join(ipk.data, 'www/luci-static/resources', r)), r).toBe(true);
  });

  it('menu and ACL files are valid JSON', () => {
    for (const m of data.filter((x) => x.name.endsWith('.json'))) expect(() => JSON.parse(readFileSync(join(ipk.data, m.name), 'utf8'))).not.toThrow();
  });

  it('data.tar is byte-identical to what GNU tar writes for the same tree (ipkg-build flags)', () => {
    const gnu = execFileSync('tar', ['--format=gnu', '--numeric-owner', '--owner=0', '--group=0', '--sort=name', `--mtime=@${epoch}`, '-cf', '-', '.'], {
      cwd: ipk.data,
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(gunzipSync(readFileSync(join(ipk.dir, 'data.tar.gz'))).equals(gnu)).toBe(true);
  });
});

describe('maintainer scripts', () => {
  const TOOLS = ['rm', 'killall', 'uci', 'fw4', 'nft', 'opkg', 'apk', 'reload_config'];
  /** POSIX sh (dash) always; busybox ash too when the kernel tier has fetched Debian's busybox. */
  const shells = (): string[][] => {
    const busybox = join(REPO, '.cache/kernel/root/bin/busybox');
    return existsSync(busybox) ? [['sh'], [busybox, 'sh']] : [['sh']];
  };

  function run(script: string, env: Record<string, string>, shell: string[]) {
    const stubs = stubTools(TOOLS);
    const r = spawnSync(shell[0] as string, [...shell.slice(1), join(ipk.control, script)], {
      env: { PATH: `${stubs.bin}:/usr/bin:/bin`, ...env },
      encoding: 'utf8',
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls: stubs.calls() };
  }

  const hostInitScript = (() => {
    try {
      accessSync('/etc/init.d/rpcd', constants.X_OK);
      return true;
    } catch {
      return false;
    }
  })();

  it('with IPKG_INSTROOT set (image build) postinst-pkg and postrm do nothing at all', () => {
    for (const shell of shells())
      for (const script of ['postinst-pkg', 'postrm']) {
        const root = tempDir('instroot');
        const r = run(script, { IPKG_INSTROOT: root }, shell);
        expect({ script, shell: shell.join(' '), ...r }).toEqual({ script, shell: shell.join(' '), status: 0, stdout: '', stderr: '', calls: [] });
        expect(readdirSync(root)).toEqual([]);
      }
  });

  // This host has no /etc/init.d/rpcd, so the stubs see the fallback; the init-script path
  // is exercised with the real package managers in real-tools.test.ts.
  const refresh = (): string[] => ['rm -f /tmp/luci-indexcache.*', 'rm -rf /tmp/luci-modulecache/', ...(hostInitScript ? [] : ['killall -HUP rpcd'])];

  it('on a running router postinst-pkg clears LuCI caches and reloads rpcd, touching nothing else', () => {
    for (const shell of shells()) {
      const r = run('postinst-pkg', {}, shell);
      expect(r).toMatchObject({ status: 0, stdout: '', stderr: '' });
      expect(r.calls).toEqual(refresh());
    }
  });

  it('postinst-pkg and postrm reload rpcd through its init script, killall only without one (as luci.mk since 2025-12-26)', () => {
    for (const script of ['postinst-pkg', 'postrm'])
      expect(readFileSync(join(ipk.control, script), 'utf8')).toContain('if [ -x /etc/init.d/rpcd ]; then /etc/init.d/rpcd reload; else killall -HUP rpcd; fi 2>/dev/null\n');
  });

  it('postrm leaves the firewall configuration alone and only refreshes LuCI and rpcd', () => {
    for (const shell of shells()) {
      const r = run('postrm', {}, shell);
      expect(r.status).toBe(0);
      expect(r.calls).toEqual(refresh());
    }
    for (const script of ['postinst-pkg', 'postrm']) expect(readFileSync(join(ipk.control, script), 'utf8')).not.toMatch(/\buci\b|fw4|nft|\/etc\/config/);
  });

  it('the postinst wrapper does nothing when IPKG_NO_SCRIPT=1 or without base-files (no /lib/functions.sh)', () => {
    expect(run('postinst', { IPKG_NO_SCRIPT: '1' }, ['sh'])).toMatchObject({ status: 0, stdout: '', stderr: '', calls: [] });
    expect(run('postinst', { IPKG_INSTROOT: tempDir('instroot') }, ['sh'])).toMatchObject({ status: 0, stdout: '', stderr: '', calls: [] });
  });

  it('postinst-pkg runs its part through base-files default_postinst (sourced in a subshell, IPKG_INSTROOT set)', () => {
    // base-files' default_postinst runs `( . "$root/usr/lib/opkg/info/<pkg>.postinst-pkg" )`; emulate that call.
    const root = tempDir('instroot');
    mkdirSync(join(root, 'usr/lib/opkg/info'), { recursive: true });
    cpSync(join(ipk.control, 'postinst-pkg'), join(root, 'usr/lib/opkg/info/luci-app-offload.postinst-pkg'));
    const stubs = stubTools(TOOLS);
    const r = spawnSync('sh', ['-c', '( . "$IPKG_INSTROOT/usr/lib/opkg/info/luci-app-offload.postinst-pkg" ); echo "ret=$?"'], {
      env: { PATH: `${stubs.bin}:/usr/bin:/bin`, IPKG_INSTROOT: root },
      encoding: 'utf8',
    });
    expect(r.stdout).toBe('ret=0\n');
    expect(stubs.calls()).toEqual([]);
  });
});

/** `apk adbdump` of a package: the real apk-tools' view of its metadata, tree and scripts. */
function adbdump(file: string): string {
  return execFileSync(apkTool(), ['adbdump', file], { encoding: 'utf8' });
}

describe('apk (dist/luci-app-offload-<version>-r<release>.apk, made by the real apk mkpkg)', () => {
  it('has the metadata package-pack.mk gives an SDK build: name, version, noarch, depends, origin, url, license, maintainer', () => {
    const info = `${adbdump(APK).split('\npaths:')[0] as string}\n`;
    const makefile = readFileSync(join(PKG_SRC, 'Makefile'), 'utf8');
    expect(info).toContain('  name: luci-app-offload\n');
    expect(info).toContain(`  version: ${VERSION}-r${RELEASE}\n`);
    expect(info).toContain('  arch: noarch\n');
    expect(info).toContain('  license: Apache-2.0\n');
    expect(info).toContain('  origin: feeds/offload/luci-app-offload\n');
    expect(info).toContain('  url: https://github.com/openwrt/luci\n');
    expect(info).toContain(`  maintainer: |\n    ${/^PKG_MAINTAINER:=(.+)$/m.exec(makefile)?.[1]}\n`);
    expect(info).toContain(`  description: |\n    ${/^LUCI_DESCRIPTION:=(.+)$/m.exec(makefile)?.[1]}\n`);
    expect(info).toMatch(/ {2}depends: # 3 items\n {4}- libc\n {4}- luci-base\n {4}- quickjs\n/);
  });

  it('carries post-install, post-upgrade, pre-deinstall and post-deinstall as package-pack.mk writes them', () => {
    const dump = adbdump(APK);
    const scripts = dump.slice(dump.indexOf('\nscripts:\n'));
    const names = [...scripts.matchAll(/^ {2}([a-z-]+): \|$/gm)].map((m) => m[1]);
    expect(names.sort()).toEqual(['post-deinstall', 'post-install', 'post-upgrade', 'pre-deinstall']);
    const block = (name: string) => (new RegExp(`^  ${name}: \\|\\n((?:    .*\\n|\\n)+)`, 'm').exec(scripts)?.[1] ?? '').replace(/^ {4}/gm, '');
    const postinst = readFileSync(join(ipk.control, 'postinst-pkg'), 'utf8').replace(/^#!.*\n/, '');
    expect(block('post-install')).toBe(
      '#!/bin/sh\n[ "${IPKG_NO_SCRIPT}" = "1" ] && exit 0\n[ -s ${IPKG_INSTROOT}/lib/functions.sh ] || exit 0\n. ${IPKG_INSTROOT}/lib/functions.sh\n' +
        'export root="${IPKG_INSTROOT}"\nexport pkgname="luci-app-offload"\nadd_group_and_user\ndefault_postinst\n' + postinst,
    );
    expect(block('post-upgrade')).toBe('#!/bin/sh\nexport PKG_UPGRADE=1\n' + block('post-install').replace(/^#!.*\n/, ''));
    expect(block('pre-deinstall')).toBe('#!/bin/sh\n[ -s ${IPKG_INSTROOT}/lib/functions.sh ] || exit 0\n. ${IPKG_INSTROOT}/lib/functions.sh\nexport root="${IPKG_INSTROOT}"\nexport pkgname="luci-app-offload"\ndefault_prerm\n');
    expect(block('post-deinstall')).toBe(readFileSync(join(ipk.control, 'postrm'), 'utf8'));
  });

  it('holds the same files as the ipk, owned root:root, plus lib/apk/packages/luci-app-offload.list naming them', () => {
    const dump = adbdump(APK);
    const paths = dump.slice(dump.indexOf('\npaths:'), dump.indexOf('\nscripts:'));
    const files: string[] = [];
    let dir = '';
    for (const line of paths.split('\n')) {
      const d = /^ {2}- (?:name: (.*)|acl:)$/.exec(line);
      if (d) dir = d[1] ?? '';
      const f = /^ {6}- name: (.*)$/.exec(line);
      if (f) files.push(dir ? `${dir}/${f[1]}` : (f[1] as string));
    }
    const ipkFiles = data.filter((x) => x.type === '-').map((x) => x.name.replace(/^\.\//, ''));
    expect(files.sort()).toEqual([...ipkFiles, 'lib/apk/packages/luci-app-offload.list'].sort());
    expect([...paths.matchAll(/user: (\S+)/g)].every((m) => m[1] === 'root')).toBe(true);
    expect([...paths.matchAll(/group: (\S+)/g)].every((m) => m[1] === 'root')).toBe(true);
    expect([...paths.matchAll(/mtime: (\d+)/g)].map((m) => Number(m[1]))).toEqual(files.map(() => epoch));
  });

  it('stays within the size budget (72 KB)', () => {
    expect(statSync(APK).size).toBeLessThanOrEqual(PACKAGE_BUDGET);
  });
});

describe('translation packages', () => {
  it('there is one for every po/<lang>/ of the package, and the tests below know each', () => {
    expect(readdirSync(join(PKG_SRC, 'po')).filter((l) => l !== 'templates').sort()).toEqual(I18N.map((l) => l.lang));
  });
});

describe.each(I18N)('translation package luci-i18n-offload-$code (po/$lang, as luci.mk’s LuciTranslation splits it)', ({ lang, code, option, name }) => {
  it('ipk: the compiled catalogue and the uci-defaults line, depending on the app, versioned PKG_PO_VERSION', () => {
    const u = unpackIpk(join(DIST, i18nIpk(code)));
    const control = readFileSync(join(u.control, 'control'), 'utf8');
    expect(control).toMatch(new RegExp(`^Package: luci-i18n-offload-${code}$`, 'm'));
    expect(control).toMatch(new RegExp(`^Version: ${VERSION}-r${RELEASE}$`, 'm'));
    expect(control).toMatch(/^Depends: libc, luci-app-offload$/m);
    expect(control).toMatch(/^Architecture: all$/m);
    expect(control.split('\n')).toContain(`Description:  Translation for luci-app-offload - ${name}`);
    expect(listTar(join(u.dir, 'data.tar.gz')).filter((m) => m.type === '-').map((m) => [m.name, m.mode])).toEqual([
      [`./etc/uci-defaults/luci-i18n-offload-${code}`, 0o644],
      [`./usr/lib/lua/luci/i18n/offload.${code}.lmo`, 0o644],
    ]);
    expect(readFileSync(join(u.data, `etc/uci-defaults/luci-i18n-offload-${code}`), 'utf8')).toBe(`uci set luci.languages.${option}='${name}'; uci commit luci\n`);
    expect(readdirSync(u.control).sort()).toEqual(['control', 'postinst', 'prerm']);
  });

  it('ipk: the catalogue is po2lmo’s compilation of po/<lang>/offload.po (an entry per string that differs from English, and Plural-Forms)', () => {
    const u = unpackIpk(join(DIST, i18nIpk(code)));
    const lmo = readFileSync(join(u.data, `usr/lib/lua/luci/i18n/offload.${code}.lmo`));
    // LuCI's lmo (po2lmo.c): the strings, then the index of 16-byte entries, its offset in the last 4 bytes.
    const index = lmo.readUInt32BE(lmo.length - 4);
    const po = readFileSync(join(PKG_SRC, 'po', lang, 'offload.po'), 'utf8');
    const differing = [...parsePo(po)].filter(([id, s]) => s !== '' && s !== id).length;
    expect((lmo.length - 4 - index) / 16).toBe(differing + (/^"Plural-Forms: /m.test(po) ? 1 : 0));
    expect(lmo.includes(Buffer.from(lang === 'zh_Hans' ? '流量卸载' : 'Flow-Offloading'))).toBe(true);
  });

  it('apk: the same files, version and description, depends on the app', () => {
    const dump = adbdump(join(DIST, i18nApk(code)));
    expect(dump).toContain(`  name: luci-i18n-offload-${code}\n`);
    expect(dump).toContain(`  version: ${VERSION}-r${RELEASE}\n`);
    expect(dump).toContain(`Translation for luci-app-offload - ${name}\n`);
    expect(dump).toMatch(/ {2}depends: # 2 items\n {4}- libc\n {4}- luci-app-offload\n/);
    for (const f of [`luci-i18n-offload-${code}`, `offload.${code}.lmo`, `luci-i18n-offload-${code}.list`]) expect(dump).toContain(`      - name: ${f}\n`);
  });
});

describe('release (make release)', () => {
  it('dist/SHA256SUMS lists the .ipk, the .apk, every translation package and the feed tarball, with their sums', () => {
    const lines = readFileSync(join(DIST, 'SHA256SUMS'), 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => l.slice(66))).toEqual(RELEASE_FILES);
    const check = spawnSync('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: DIST, encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });

  // Packages are what a router downloads and keeps in flash (PACKAGE_BUDGET each). The feed tarball
  // is the source a firmware builder's SDK reads (never on a router; it carries the .pot and every .po): 96 KB.
  it('every package stays within the size budget (72 KB), the feed tarball within 96 KB', () => {
    for (const f of RELEASE_FILES) expect(statSync(join(DIST, f)).size, f).toBeLessThanOrEqual(f.includes('-feed-') ? 96 * 1024 : PACKAGE_BUDGET);
  });

  it('a second clean build from a copy with other mtimes and modes gives the same SHA256SUMS', () => {
    const copy = join(tempDir('relsrc'), 'luci-app-offload');
    cpSync(PKG_SRC, copy, { recursive: true });
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
    for (const f of walk(copy)) {
      utimesSync(f, new Date(0), new Date(1_000_000_000_000));
      chmodSync(f, (statSync(f).mode & 0o777) | 0o060);
    }
    const out = tempDir('release2');
    execFileSync('node', ['build/scripts/build-release.mjs', '--src', copy, '--out', out], { cwd: REPO, stdio: 'ignore' });
    expect(readFileSync(join(out, 'SHA256SUMS'), 'utf8')).toBe(readFileSync(join(DIST, 'SHA256SUMS'), 'utf8'));
  });
});

describe('reproducibility', () => {
  it('building the ipk again gives the same bytes, whatever the source files’ mtimes and group/other bits', () => {
    const copy = join(tempDir('src'), 'luci-app-offload');
    cpSync(PKG_SRC, copy, { recursive: true });
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
    for (const f of walk(copy)) {
      utimesSync(f, new Date(0), new Date(1_000_000_000_000));
      chmodSync(f, (statSync(f).mode & 0o777) | 0o060);
    }
    const out1 = tempDir('ipk1');
    const out2 = tempDir('ipk2');
    execFileSync('node', ['build/scripts/build-ipk.mjs', '--out', out1], { cwd: REPO });
    execFileSync('node', ['build/scripts/build-ipk.mjs', '--src', copy, '--out', out2], { cwd: REPO });
    const a = readFileSync(join(out1, IPK_NAME));
    expect(a.equals(readFileSync(IPK))).toBe(true);
    expect(a.equals(readFileSync(join(out2, IPK_NAME)))).toBe(true);
  });

  it('building the feed again gives the same tarball bytes', () => {
    const out = tempDir('feed');
    execFileSync('node', ['build/scripts/build-feed.mjs', '--out', out], { cwd: REPO });
    expect(readFileSync(join(out, `luci-app-offload-feed-${VERSION}.tar.gz`)).equals(readFileSync(FEED_TARBALL))).toBe(true);
  });

  it('SOURCE_DATE_EPOCH, when set, is the time stamped everywhere', () => {
    const out = tempDir('epoch');
    execFileSync('node', ['build/scripts/build-ipk.mjs', '--out', out], { cwd: REPO, env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' } });
    const u = unpackIpk(join(out, IPK_NAME));
    expect(new Set([...listTar(join(out, IPK_NAME)), ...listTar(join(u.dir, 'data.tar.gz'))].map((m) => m.mtime))).toEqual(new Set([1700000000]));
    expect(readFileSync(join(u.control, 'control'), 'utf8')).toMatch(/^SourceDateEpoch: 1700000000$/m);
  });
});

describe('feed (dist/feed)', () => {
  const feedMakefile = (): string => readFileSync(join(FEED, 'luci-app-offload/Makefile'), 'utf8');

  it('the package Makefile carries the literal version from package.json, the rest as in the source tree', () => {
    const m = feedMakefile();
    expect(m.match(/^PKG_VERSION:=.*$/gm)).toEqual([`PKG_VERSION:=${VERSION}`]);
    const strip = (s: string) => s.split('\n').filter((l) => !/^PKG_VERSION:=|^# (The version lives|Written by `make feed`)/.test(l));
    expect(strip(m)).toEqual(strip(readFileSync(join(PKG_SRC, 'Makefile'), 'utf8')));
  });

  it('holds the package files in luci.mk layout (the ipk data mapped back) plus the Makefile and po/', () => {
    const files = (d: string, rel = ''): string[] =>
      readdirSync(join(d, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(d, `${rel}${e.name}/`) : [`${rel}${e.name}`]));
    const poFiles = existsSync(join(PKG_SRC, 'po')) ? files(join(PKG_SRC, 'po')).filter((f) => /\.pot?$/.test(f)).map((f) => `po/${f}`) : [];
    const fromIpk = data
      .filter((m) => m.type === '-')
      .map((m) => m.name.replace(/^\.\//, ''))
      .map((p) => (p.startsWith('www/') ? `htdocs/${p.slice(4)}` : `root/${p}`));
    expect(files(join(FEED, 'luci-app-offload')).sort()).toEqual(['Makefile', ...fromIpk, ...poFiles].sort());
    for (const f of fromIpk) expect(readFileSync(join(FEED, 'luci-app-offload', f)).equals(readFileSync(join(PKG_SRC, f))), f).toBe(true);
  });

  it('the handler keeps mode 0755 in the feed; other files are 0644', () => {
    expect(statSync(join(FEED, 'luci-app-offload/root/usr/libexec/rpcd/luci.offload')).mode & 0o777).toBe(0o755);
    expect(statSync(join(FEED, 'luci-app-offload/root/usr/share/rpcd/acl.d/luci-app-offload.json')).mode & 0o777).toBe(0o644);
    expect(statSync(join(FEED, 'luci-app-offload/Makefile')).mode & 0o777).toBe(0o644);
  });

  it('every file the Makefile names exists in the feed package', () => {
    const named = new Set(feedMakefile().match(/\b(?:root|htdocs)\/[\w./-]+/g) ?? []);
    expect(named.size).toBeGreaterThan(0);
    for (const p of named) expect(existsSync(join(FEED, 'luci-app-offload', p)), p).toBe(true);
  });

  it('translations, when present, keep LuCI’s po layout (po/templates/offload.pot, po/<lang>/offload.po)', () => {
    const po = join(FEED, 'luci-app-offload/po');
    if (!existsSync(po)) return;
    for (const lang of readdirSync(po)) {
      const names = readdirSync(join(po, lang));
      expect(names, lang).toEqual([lang === 'templates' ? 'offload.pot' : 'offload.po']);
      expect(lang).toMatch(/^(templates|[a-z]{2,3}(_[A-Z][A-Za-z]+)?)$/);
    }
  });

  it('carries the quickjs recipe (24.10 builders): package quickjs installing /usr/bin/qjs', () => {
    const q = readFileSync(join(FEED, 'quickjs/Makefile'), 'utf8');
    expect(q).toMatch(/^PKG_NAME:=quickjs$/m);
    expect(q).toMatch(/^PKG_VERSION:=\d{4}\.\d\d\.\d\d$/m);
    expect(q).toMatch(/^PKG_HASH:=[0-9a-f]{64}$/m);
    expect(q).toMatch(/\$\(INSTALL_BIN\) \$\(PKG_BUILD_DIR\)\/qjs \$\(1\)\/usr\/bin/);
    expect(q).toMatch(/^\$\(eval \$\(call BuildPackage,quickjs\)\)$/m);
    expect(readFileSync(join(REPO, 'feed-extra/quickjs/Makefile'), 'utf8')).toBe(q);
  });

  it('the tarball unpacks to luci-app-offload-feed-<version>/ with the same files and modes, owned 0/0', () => {
    const top = `luci-app-offload-feed-${VERSION}`;
    const members = listTar(FEED_TARBALL);
    expect(members[0]?.name).toBe(`${top}/`);
    for (const m of members) {
      expect(m.name.startsWith(`${top}/`), m.name).toBe(true);
      expect(m.owner).toBe('0/0');
      expect(m.mtime).toBe(epoch);
    }
    const dir = untar(FEED_TARBALL, 'feedtar');
    for (const m of members.filter((x) => x.type === '-')) {
      const rel = m.name.slice(top.length + 1);
      expect(readFileSync(join(dir, m.name)).equals(readFileSync(join(FEED, rel))), rel).toBe(true);
      expect(m.mode, rel).toBe(statSync(join(FEED, rel)).mode & 0o777);
    }
    expect(members.filter((x) => x.type === '-').length).toBe(
      execFileSync('find', [FEED, '-type', 'f'], { encoding: 'utf8' }).trim().split('\n').length,
    );
  });
});

describe('feed Makefile under a stand-in luci.mk', () => {
  /**
   * A TOPDIR with rules.mk (global options on, as a default .config has them) and a
   * feeds/luci/luci.mk that reports what luci.mk would see when it is included.
   * The real luci.mk cannot be fetched here; this checks our side of the contract:
   * the values and their order relative to the include.
   */
  function stubTopdir(): string {
    const top = tempDir('topdir');
    mkdirSync(join(top, 'feeds/luci'), { recursive: true });
    writeFileSync(join(top, 'rules.mk'), 'INCLUDE_DIR:=$(TOPDIR)/include\nCONFIG_LUCI_JSMIN:=y\nCONFIG_LUCI_CSSTIDY:=y\n');
    writeFileSync(
      join(top, 'feeds/luci/luci.mk'),
      [
        'LUCI_NAME?=$(notdir $(CURDIR))',
        'LUCI_MINIFY_JS?=1',
        'LUCI_MINIFY_CSS?=1',
        '$(info PKG_NAME=$(PKG_NAME))',
        '$(info PKG_VERSION=$(PKG_VERSION))',
        '$(info PKG_RELEASE=$(PKG_RELEASE))',
        '$(info PKG_LICENSE=$(PKG_LICENSE))',
        '$(info LUCI_DEPENDS=$(LUCI_DEPENDS))',
        '$(info LUCI_PKGARCH=$(LUCI_PKGARCH))',
        '$(info LUCI_TITLE=$(LUCI_TITLE))',
        '$(info LUCI_MAINTAINER=$(LUCI_MAINTAINER))',
        '$(info PKG_PO_VERSION=$(PKG_PO_VERSION))',
        // 23.05+ luci.mk: JsMin/CssTidy are no-ops unless LUCI_MINIFY_*=1, and only run when the global option is on.
        '$(info NEW_JSMIN=$(if $(CONFIG_LUCI_JSMIN),$(if $(filter 1,$(LUCI_MINIFY_JS)),run,skip),skip))',
        '$(info NEW_CSSTIDY=$(if $(CONFIG_LUCI_CSSTIDY),$(if $(filter 1,$(LUCI_MINIFY_CSS)),run,skip),skip))',
        // older luci.mk: only the global option decides.
        '$(info OLD_JSMIN=$(if $(CONFIG_LUCI_JSMIN),run,skip))',
        '$(info OLD_CSSTIDY=$(if $(CONFIG_LUCI_CSSTIDY),run,skip))',
        '$(info POSTINST=$(if $(Package/$(PKG_NAME)/postinst),ours,luci.mk default))',
        'define StubTargets',
        'prepare:',
        '\t$(call Build/Prepare/$(LUCI_NAME))',
        'endef',
        '$(eval $(call StubTargets))',
        '',
      ].join('\n'),
    );
    return top;
  }

  function runMake(pkgDir: string, top: string) {
    return spawnSync('make', ['-s', '-C', pkgDir, `TOPDIR=${top}`, 'prepare'], { encoding: 'utf8' });
  }

  it('luci.mk sees the version, release, license, dependencies and arch, and minification switched off for old and new luci.mk', () => {
    const r = runMake(join(FEED, 'luci-app-offload'), stubTopdir());
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(parseInfo(r.stdout)).toMatchObject({
      PKG_NAME: 'luci-app-offload',
      PKG_VERSION: VERSION,
      PKG_RELEASE: RELEASE,
      PKG_LICENSE: 'Apache-2.0',
      PKG_PO_VERSION: `${VERSION}-r${RELEASE}`,
      LUCI_DEPENDS: '+luci-base +quickjs',
      LUCI_PKGARCH: 'all',
      NEW_JSMIN: 'skip',
      NEW_CSSTIDY: 'skip',
      OLD_JSMIN: 'skip',
      OLD_CSSTIDY: 'skip',
      POSTINST: 'ours',
    });
    expect(parseInfo(r.stdout).LUCI_MAINTAINER).toMatch(/^.+ <.+@.+>$/);
    expect(parseInfo(r.stdout).LUCI_TITLE).not.toBe('');
  });

  it('Build/Prepare stops with a clear message when the pre-built files are missing', () => {
    const copy = join(tempDir('nobuild'), 'luci-app-offload');
    cpSync(join(FEED, 'luci-app-offload'), copy, { recursive: true });
    execFileSync('rm', [join(copy, 'root/usr/libexec/rpcd/luci.offload')]);
    const r = runMake(copy, stubTopdir());
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/root\/usr\/libexec\/rpcd\/luci\.offload is missing; build the feed with 'make feed'/);
  });

  it('the source-tree Makefile reads the same version from ../package.json', () => {
    const r = runMake(PKG_SRC, stubTopdir());
    expect(parseInfo(r.stdout).PKG_VERSION).toBe(VERSION);
  });
});
