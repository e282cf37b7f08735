import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEED_NAME, readMeta, type PackageMeta } from './meta';
import { literal, script } from './makefile';
import { collectPackageFiles } from './tree';

/**
 * One binary package, whatever the format: what package-pack.mk knows about a
 * package when it writes the .ipk (24.10) or calls `apk mkpkg` (25.12). The
 * app and its translation packages (as luci.mk's LuciTranslation splits them)
 * are both described this way, so `make ipk` and `make apk` share one source.
 */
export interface PkgFile {
  /** Path on the router without the leading `/`. */
  path: string;
  mode: number;
  data: Buffer;
}

export interface PackageSpec {
  name: string;
  /** Version as the 24.10 SDK's luci.mk writes it: `<version>-<release>`. */
  ipkVersion: string;
  /** Version as the 25.12 SDK's luci.mk writes it: `<version>-r<release>` (apk version schema). */
  apkVersion: string;
  /** Dependency names, libc first (PKG_DEFAULT_DEPENDS). */
  depends: string[];
  /** package-pack.mk SOURCE: feeds/<feed>/<dir>. */
  source: string;
  sourceName: string;
  license: string;
  section: string;
  /** Empty: no URL field. */
  url: string;
  maintainer: string;
  arch: 'all';
  description: string;
  files: PkgFile[];
  /** Package-defined maintainer script bodies (Package/<name>/postinst etc.), shell text. */
  postinst?: string;
  prerm?: string;
  postrm?: string;
}

/** luci.mk's LUCI_URL default, which package-pack.mk writes as URL when the Makefile sets none. */
export const LUCI_URL_DEFAULT = 'https://github.com/openwrt/luci';

/** luci.mk's LUCI_LANG.<code> names for the languages this package has (luci.mk §LUCI_LANG_START). */
const LUCI_LANG: Record<string, string> = {
  de: 'Deutsch (German)',
  zh_Hans: '简体中文 (Simplified Chinese)',
};
/** luci.mk's LUCI_LC_ALIAS: po directory → package/language suffix. */
const LUCI_LC_ALIAS: Record<string, string> = { bn_BD: 'bn', nb_NO: 'no', pt_BR: 'pt-br', zh_Hans: 'zh-cn', zh_Hant: 'zh-tw' };

/** The app package: metadata from the Makefile, files from htdocs/ and root/. */
export function appSpec(repo: string, pkgDir: string, meta: PackageMeta = readMeta(repo, pkgDir)): PackageSpec {
  const { files } = collectPackageFiles(pkgDir);
  const pkg = `Package/${meta.name}`;
  return {
    name: meta.name,
    ipkVersion: `${meta.version}-${meta.release}`,
    apkVersion: `${meta.version}-r${meta.release}`,
    depends: meta.depends,
    source: `feeds/${FEED_NAME}/${meta.name}`,
    sourceName: meta.name,
    license: meta.license,
    section: meta.section,
    url: meta.recipe.vars.has('LUCI_URL') ? literal(meta.recipe, 'LUCI_URL') : LUCI_URL_DEFAULT,
    maintainer: meta.maintainer,
    arch: 'all',
    description: meta.description,
    files: files.map((f) => ({ path: f.path, mode: f.mode, data: readFileSync(f.source) })),
    postinst: script(meta.recipe, `${pkg}/postinst`),
    postrm: script(meta.recipe, `${pkg}/postrm`),
  };
}

/** The po/<lang>/ directories luci.mk turns into luci-i18n-<basename>-<lang> packages. */
export function languages(pkgDir: string): string[] {
  const po = join(pkgDir, 'po');
  if (!existsSync(po)) return [];
  return readdirSync(po)
    .filter((l) => l !== 'templates')
    .sort();
}

/**
 * luci.mk's LuciTranslation for each po/<lang>/: a hidden package with the
 * compiled catalogue (po2lmo) and a uci-defaults line registering the
 * language. Its version is PKG_PO_VERSION; it depends on the app.
 */
export function i18nSpecs(repo: string, pkgDir: string, po2lmo: string, meta: PackageMeta = readMeta(repo, pkgDir)): PackageSpec[] {
  const basename = meta.name.replace(/^luci-[^-]+-/, '');
  const poVersion = literal(meta.recipe, 'PKG_PO_VERSION', [], { PKG_VERSION: meta.version });
  return languages(pkgDir).map((lang) => {
    const langName = LUCI_LANG[lang];
    if (!langName) throw new Error(`po/${lang}: not a language luci.mk knows here (add it to LUCI_LANG in scripts/package/spec.ts)`);
    const code = LUCI_LC_ALIAS[lang] ?? lang;
    const name = `luci-i18n-${basename}-${code}`;
    const files: PkgFile[] = [
      {
        path: `etc/uci-defaults/${name}`,
        mode: 0o644,
        data: Buffer.from(`uci set luci.languages.${code.replace(/-/g, '_')}='${langName}'; uci commit luci\n`),
      },
    ];
    for (const po of readdirSync(join(pkgDir, 'po', lang)).filter((f) => f.endsWith('.po')).sort())
      files.push({ path: `usr/lib/lua/luci/i18n/${po.replace(/\.po$/, '')}.${code}.lmo`, mode: 0o644, data: compileLmo(po2lmo, join(pkgDir, 'po', lang, po)) });
    return {
      name,
      ipkVersion: poVersion,
      apkVersion: poVersion,
      depends: ['libc', meta.name],
      source: `feeds/${FEED_NAME}/${meta.name}`,
      sourceName: meta.name,
      license: meta.license,
      section: 'luci',
      url: '',
      maintainer: meta.maintainer,
      arch: 'all',
      description: `Translation for ${meta.name} - ${langName}`,
      files,
    };
  });
}

/** Run LuCI's po2lmo (built by scripts/package/build-pkgtools.sh) on one catalogue. */
function compileLmo(po2lmo: string, po: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'offload-lmo-'));
  try {
    execFileSync(po2lmo, [po, join(dir, 'out.lmo')], { stdio: ['ignore', 'ignore', 'pipe'] });
    return readFileSync(join(dir, 'out.lmo'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
