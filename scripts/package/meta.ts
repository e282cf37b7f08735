import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { literal, readRecipe, script, type Recipe } from './makefile';

/** Used for SOURCE_DATE_EPOCH outside a git checkout (2025-01-01T00:00:00Z). */
export const FIXED_EPOCH = 1735689600;

/** The feed name the docs tell firmware builders to use in feeds.conf (`src-link offload …`). */
export const FEED_NAME = 'offload';

/** Everything the ipk's control file and the feed need, read from package.json and the package Makefile. */
export interface PackageMeta {
  name: string;
  /** From package.json "version" — the one place the version is written. */
  version: string;
  release: string;
  license: string;
  maintainer: string;
  title: string;
  description: string;
  /** opkg dependency names, in Makefile order, after the implicit libc. */
  depends: string[];
  section: string;
  arch: string;
  recipe: Recipe;
}

/** apk-tools v3 accepts this version shape (OpenWrt commit e8725a93); opkg accepts it too. */
const VERSION_RE = /^\d+(\.\d+)*(_(alpha|beta|pre|rc|p)\d*)?$/;

export function packageVersion(repo: string): string {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string' || !VERSION_RE.test(pkg.version))
    throw new Error(`package.json: version ${JSON.stringify(pkg.version)} is not an OpenWrt/apk-compatible version (e.g. 1.2.3 or 1.2.3_rc1)`);
  return pkg.version;
}

/** SOURCE_DATE_EPOCH when set, else the last commit's time, else FIXED_EPOCH. */
export function sourceDateEpoch(repo: string): number {
  const env = process.env.SOURCE_DATE_EPOCH;
  if (env !== undefined && env !== '') {
    if (!/^\d+$/.test(env)) throw new Error(`SOURCE_DATE_EPOCH must be a number of seconds, got ${JSON.stringify(env)}`);
    return Number(env);
  }
  try {
    const out = execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (/^\d+$/.test(out)) return Number(out);
  } catch {
    // not a git checkout (e.g. an unpacked tarball): fall through
  }
  return FIXED_EPOCH;
}

/**
 * LUCI_DEPENDS (`+pkg` selects, `@SYM` Kconfig-only) → opkg names. The SDK
 * prepends libc to every non-kernel package (PKG_DEFAULT_DEPENDS); so do we.
 */
export function opkgDepends(luciDepends: string): string[] {
  const out = ['libc'];
  for (const word of luciDepends.split(/\s+/).filter(Boolean)) {
    if (word.startsWith('@')) continue;
    const name = word.replace(/^\+/, '');
    if (!/^[a-zA-Z0-9_.+-]+$/.test(name)) throw new Error(`LUCI_DEPENDS: '${word}' is not a plain package name (conditional deps are not supported by the standalone builder)`);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

export function readMeta(repo: string, pkgDir: string): PackageMeta {
  const recipe = readRecipe(join(pkgDir, 'Makefile'));
  const title = literal(recipe, 'LUCI_TITLE');
  const release = literal(recipe, 'PKG_RELEASE');
  if (!/^\d+$/.test(release)) throw new Error(`PKG_RELEASE must be a number (apk: -r<N>), got '${release}'`);
  const arch = literal(recipe, 'LUCI_PKGARCH');
  if (arch !== 'all') throw new Error(`LUCI_PKGARCH must be 'all' for this package, got '${arch}'`);
  // Fail early if a maintainer script uses make syntax the builder cannot reproduce.
  script(recipe, 'Package/luci-app-offload/postinst');
  script(recipe, 'Package/luci-app-offload/postrm');
  return {
    name: literal(recipe, 'PKG_NAME'),
    version: packageVersion(repo),
    release,
    license: literal(recipe, 'PKG_LICENSE'),
    maintainer: literal(recipe, 'PKG_MAINTAINER'),
    title,
    description: recipe.vars.has('LUCI_DESCRIPTION') ? literal(recipe, 'LUCI_DESCRIPTION') : title,
    depends: opkgDepends(literal(recipe, 'LUCI_DEPENDS')),
    section: 'luci',
    arch,
    recipe,
  };
}
