/**
 * Static checks of the OpenWrt package recipe (luci-app-offload/Makefile) and
 * of the helpers that read it; no build needed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pinVersion } from '../../scripts/package/feed';
import { literal, parseRecipe, readRecipe, script } from '../../scripts/package/makefile';
import { opkgDepends, packageVersion } from '../../scripts/package/meta';
import { APK_NAME, IPK_NAME, PKG_SRC, RELEASE, REPO, VERSION } from './helpers';

const MAKEFILE = join(PKG_SRC, 'Makefile');
const text = readFileSync(MAKEFILE, 'utf8');
const lines = text.split('\n');
const recipe = readRecipe(MAKEFILE);
const lineOf = (re: RegExp): number => lines.findIndex((l) => re.test(l));

describe('package Makefile', () => {
  it('sets the variables luci.mk and the SDK need', () => {
    for (const v of ['PKG_NAME', 'PKG_VERSION', 'PKG_RELEASE', 'PKG_LICENSE', 'PKG_MAINTAINER', 'LUCI_TITLE', 'LUCI_DESCRIPTION', 'LUCI_DEPENDS', 'LUCI_PKGARCH'])
      expect(recipe.vars.has(v), v).toBe(true);
    expect(literal(recipe, 'PKG_NAME')).toBe('luci-app-offload');
    expect(literal(recipe, 'PKG_RELEASE')).toMatch(/^\d+$/);
    expect(literal(recipe, 'PKG_LICENSE')).toBe('Apache-2.0');
    expect(literal(recipe, 'PKG_MAINTAINER')).toMatch(/^.+ <[^>]+@[^>]+>$/);
    expect(literal(recipe, 'LUCI_MAINTAINER')).toBe(literal(recipe, 'PKG_MAINTAINER'));
    expect(literal(recipe, 'LUCI_PKGARCH')).toBe('all');
  });

  it('takes the version from package.json (one place), and package.json has an apk-compatible version', () => {
    expect(recipe.vars.get('PKG_VERSION')).toMatch(/\$\(CURDIR\)\/\.\.\/package\.json/);
    expect(packageVersion(REPO)).toBe(VERSION);
    expect(text).not.toContain(`PKG_VERSION:=${VERSION}`);
  });

  it('depends on exactly quickjs and luci-base', () => {
    expect(literal(recipe, 'LUCI_DEPENDS')).toBe('+luci-base +quickjs');
    expect(opkgDepends(literal(recipe, 'LUCI_DEPENDS'))).toEqual(['libc', 'luci-base', 'quickjs']);
  });

  it('switches luci.mk minification off before including luci.mk, for new and old luci.mk', () => {
    const include = lineOf(/^include \$\(LUCI_MK\)$/);
    expect(include).toBeGreaterThan(0);
    for (const re of [/^LUCI_MINIFY_JS:=0$/, /^LUCI_MINIFY_CSS:=0$/, /^CONFIG_LUCI_JSMIN:=$/, /^CONFIG_LUCI_CSSTIDY:=$/]) {
      const at = lineOf(re);
      expect(at, String(re)).toBeGreaterThan(0);
      expect(at, String(re)).toBeLessThan(include);
    }
  });

  it('defines its own postinst and postrm before the include (luci.mk keeps a package-defined postinst)', () => {
    const include = lineOf(/^include \$\(LUCI_MK\)$/);
    expect(lineOf(/^define Package\/luci-app-offload\/postinst$/)).toBeLessThan(include);
    expect(lineOf(/^define Package\/luci-app-offload\/postrm$/)).toBeLessThan(include);
    expect(lineOf(/^define Build\/Prepare\/luci-app-offload$/)).toBeLessThan(include);
  });

  it('finds luci.mk in the buildroot’s luci feed and carries the buildroot signature feeds scan for', () => {
    expect(recipe.vars.get('LUCI_MK')).toBe('$(firstword $(wildcard $(TOPDIR)/feeds/luci/luci.mk ../../luci.mk))');
    expect(lines[0]).toBe('#');
    expect(text.trimEnd().split('\n').at(-1)).toBe('# call BuildPackage - OpenWrt buildroot signature');
    expect(lineOf(/^include \$\(TOPDIR\)\/rules\.mk$/)).toBeGreaterThan(0);
  });

  it('maintainer scripts are plain sh (make only escapes $ as $$) and guard on IPKG_INSTROOT', () => {
    for (const name of ['postinst', 'postrm']) {
      const s = script(recipe, `Package/luci-app-offload/${name}`);
      expect(s.startsWith('#!/bin/sh\n')).toBe(true);
      expect(s).toContain('[ -n "${IPKG_INSTROOT}" ] || {');
      expect(s).not.toContain('\\'); // the SDK echoes the script through the shell: keep it backslash-free
    }
  });

  it('the package directory holds only what luci.mk installs (htdocs, root, po) and the Makefile', () => {
    const allowed = ['Makefile', 'htdocs', 'po', 'root'];
    for (const name of readdirSync(PKG_SRC)) expect(allowed, name).toContain(name);
  });
});

describe('menu entry (root/usr/share/luci/menu.d)', () => {
  it('is hidden unless /usr/bin/qjs is executable (LuCI dispatcher depends.fs: "executable" = a file with its user-exec bit)', () => {
    const menu = JSON.parse(readFileSync(join(PKG_SRC, 'root/usr/share/luci/menu.d/luci-app-offload.json'), 'utf8')) as Record<string, { depends?: Record<string, unknown> }>;
    const entry = menu['admin/network/offload'];
    expect(entry?.depends?.fs).toEqual({ '/usr/bin/qjs': 'executable' });
    expect(entry?.depends?.acl).toEqual(['luci-app-offload']);
  });
});

describe('recipe reader', () => {
  it('joins continuation lines, resolves simple references, unescapes $$', () => {
    const r = parseRecipe('A:=one \\\n  two\nB:=$(A) three\nC:=$$x\ndefine S\necho "$${X}"\nendef\n');
    expect(literal(r, 'B')).toBe('one two three');
    expect(literal(r, 'C')).toBe('$x');
    expect(script(r, 'S')).toBe('echo "${X}"\n');
  });

  it('refuses what it cannot expand', () => {
    const r = parseRecipe('V:=$(shell date)\ndefine S\necho $(PKG_NAME)\nendef\n');
    expect(() => literal(r, 'V')).toThrow(/cannot expand/);
    expect(() => script(r, 'S')).toThrow(/cannot expand/);
    expect(() => literal(r, 'MISSING')).toThrow(/not set/);
  });

  it('turns LUCI_DEPENDS into opkg names, libc first', () => {
    expect(opkgDepends('+luci-base @IPV6 +quickjs +luci-base')).toEqual(['libc', 'luci-base', 'quickjs']);
    expect(() => opkgDepends('+PACKAGE_foo:bar')).toThrow(/conditional/);
  });

  it('pins the version in a copy of the Makefile', () => {
    const pinned = pinVersion(text, '9.8.7');
    expect(pinned.match(/^PKG_VERSION:=.*$/gm)).toEqual(['PKG_VERSION:=9.8.7']);
    expect(() => pinVersion('A:=1\n', '1.0.0')).toThrow(/exactly one/);
  });
});

describe('docs/packaging.md', () => {
  it('has the sections the README takes over', () => {
    const doc = readFileSync(join(REPO, 'docs/packaging.md'), 'utf8');
    expect(doc).toMatch(/^## Install$/m);
    expect(doc).toMatch(/^## Build into firmware$/m);
    expect(doc).toContain('LuCI → 3. Applications → luci-app-offload');
  });
});

describe('README Install section', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const install = readme.slice(readme.indexOf('## Install\n'), readme.indexOf('## Build into firmware\n'));

  it('names the release files make release writes, for 25.12 and 24.10, with one install command each', () => {
    expect(install).toContain(`apk add --allow-untrusted /tmp/${APK_NAME}`);
    expect(install).toContain(`opkg install /tmp/quickjs_*.ipk /tmp/${IPK_NAME}`);
    expect(install).toContain(`luci-i18n-offload-de-${VERSION}-r${RELEASE}.apk`);
    expect(install).toContain(`luci-i18n-offload-de_${VERSION}-r${RELEASE}_all.ipk`);
  });

  it('does not promise that a forced install works (real opkg refuses it: real-tools.test.ts)', () => {
    expect(install).not.toMatch(/Forcing it with\s+`--force-depends` installs/);
    expect(install).toMatch(/neither `--force-depends` nor `--nodeps` changes\s+that/);
  });

  it('says the feed line goes after the luci line in feeds.conf', () => {
    expect(readme).toMatch(/after the `packages` and\s+`luci` lines/);
  });
});
