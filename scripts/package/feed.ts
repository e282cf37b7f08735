import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzip } from './gzip';
import { FEED_NAME, packageVersion, sourceDateEpoch } from './meta';
import { sortEntries, writeTar, type TarEntry } from './tar';
import { DEV_FILE, collectPackageFiles, walk } from './tree';

/**
 * The OpenWrt package feed (`make feed`): the package directory in luci.mk's
 * source layout with the pre-built handler and panel in place (the SDK has no
 * npm), the QuickJS recipe for 24.10, and a reproducible tarball of it all.
 */

/** Replace the single `PKG_VERSION:=` line (which reads package.json in the source tree) with the literal version. */
export function pinVersion(makefile: string, version: string): string {
  const re = /^PKG_VERSION:=.*$/gm;
  const n = makefile.match(re)?.length ?? 0;
  if (n !== 1) throw new Error(`Makefile must have exactly one 'PKG_VERSION:=' line, found ${n}`);
  return makefile
    .replace(re, `PKG_VERSION:=${version}`)
    .replace(/^# The version lives in \.\.\/package\.json.*$/m, "# Written by `make feed` from the source repository's package.json.");
}

function feedReadme(version: string): string {
  return `# luci-app-offload ${version}: OpenWrt package feed

Package sources for the OpenWrt SDK or buildroot, with the JavaScript already built
(the SDK needs no npm):

- \`luci-app-offload/\`: the LuCI app (menuconfig: LuCI → 3. Applications → luci-app-offload)
- \`quickjs/\`: QuickJS (/usr/bin/qjs) for OpenWrt 24.10, whose packages feed lacks it

In feeds.conf, with the absolute path of this directory:

    src-link ${FEED_NAME} /path/to/luci-app-offload-feed-${version}

then \`./scripts/feeds update ${FEED_NAME} && ./scripts/feeds install luci-app-offload\`.
`;
}

function put(path: string, data: Buffer | string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  chmodSync(path, mode);
}

export interface FeedResult {
  feedDir: string;
  tarball: string;
  tarballBytes: number;
  packageFiles: number;
}

/** Write `<out>/feed/` (replacing it) and `<out>/luci-app-offload-feed-<version>.tar.gz`. */
export function writeFeed(repo: string, pkgDir: string, out: string): FeedResult {
  const version = packageVersion(repo);
  const feed = join(out, 'feed');
  rmSync(feed, { recursive: true, force: true });

  const pkgOut = join(feed, 'luci-app-offload');
  put(join(pkgOut, 'Makefile'), pinVersion(readFileSync(join(pkgDir, 'Makefile'), 'utf8'), version), 0o644);
  // The same files as the ipk (this also checks the build outputs exist), back in luci.mk's source layout.
  const { files } = collectPackageFiles(pkgDir);
  for (const f of files) {
    const rel = f.path.startsWith('www/') ? `htdocs/${f.path.slice('www/'.length)}` : `root/${f.path}`;
    put(join(pkgOut, rel), readFileSync(f.source), f.mode);
  }
  const po = join(pkgDir, 'po');
  if (existsSync(po))
    for (const rel of walk(po))
      if (!DEV_FILE.test(rel) && /\.pot?$/.test(rel)) put(join(pkgOut, 'po', rel), readFileSync(join(po, rel)), 0o644);

  put(join(feed, 'quickjs', 'Makefile'), readFileSync(join(repo, 'feed-extra', 'quickjs', 'Makefile')), 0o644);
  put(join(feed, 'README.md'), feedReadme(version), 0o644);
  for (const dir of [feed, ...walkDirs(feed)]) chmodSync(dir, 0o755);

  // One top directory, sorted entries, owner 0/0, mtime = SOURCE_DATE_EPOCH, gzip -n.
  const top = `luci-app-offload-feed-${version}`;
  const entries: TarEntry[] = [{ name: `${top}/`, mode: 0o755 }];
  for (const dir of walkDirs(feed)) entries.push({ name: `${top}/${dir.slice(feed.length + 1)}/`, mode: 0o755 });
  for (const rel of walk(feed)) {
    const path = join(feed, rel);
    entries.push({ name: `${top}/${rel}`, mode: statSync(path).mode & 0o111 ? 0o755 : 0o644, data: readFileSync(path) });
  }
  const tarball = join(out, `${top}.tar.gz`);
  const bytes = gzip(writeTar(sortEntries(entries), sourceDateEpoch(repo)), 9);
  writeFileSync(tarball, bytes);
  return { feedDir: feed, tarball, tarballBytes: bytes.length, packageFiles: files.length };
}

/** Absolute paths of every directory below `dir`. */
function walkDirs(dir: string): string[] {
  const dirs = new Set<string>();
  for (const rel of walk(dir)) {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(join(dir, ...parts.slice(0, i)));
  }
  return [...dirs].sort();
}
