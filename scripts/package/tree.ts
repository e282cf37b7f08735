import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TarEntry } from './tar';

/**
 * What goes onto the router, mapped the way luci.mk installs a LuCI app:
 * `htdocs/*` → `/www/*`, `root/*` → `/*`. Development leftovers (source maps,
 * TypeScript, tests, dotfiles, editor backups) are never shipped.
 */
export interface PackageFile {
  /** Path on the router without the leading `/`, e.g. `www/luci-static/resources/view/offload.js`. */
  path: string;
  /** Path of the file in the package source directory. */
  source: string;
  /** 0o755 when the source file is executable (git keeps only this bit), else 0o644. */
  mode: number;
}

/** Package source subdirectory → install prefix on the router (luci.mk `Package/install`). */
const MAPPING: ReadonlyArray<readonly [string, string]> = [
  ['htdocs', 'www/'],
  ['root', ''],
];

/** luci.mk directories this builder does not handle: refuse rather than diverge from an SDK build. */
const UNSUPPORTED = ['luasrc', 'ucode', 'src'];

/** Files that are never installed (matched against the path inside the package directory). */
export const DEV_FILE = /(^|\/)\.|~$|\.(map|ts|tsx|mts|cts|orig|rej|swp|bak)$|\.(test|spec)\.[a-z]+$/;

/** Files the package cannot work without; a missing one means `make build` has not run. */
export const REQUIRED = [
  'usr/libexec/rpcd/luci.offload',
  'usr/share/rpcd/acl.d/luci-app-offload.json',
  'usr/share/luci/menu.d/luci-app-offload.json',
  'www/luci-static/resources/view/offload.js',
  'www/luci-static/resources/offload/app.js',
  'www/luci-static/resources/offload/app.css',
];

/** Executable on the router (the rpcd exec plugin: rpcd runs it directly). */
export const EXECUTABLE = ['usr/libexec/rpcd/luci.offload'];

/** Walk `dir` (relative paths, sorted, files only), refusing symlinks and special files. */
export function walk(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const st = lstatSync(join(dir, r));
    if (st.isDirectory()) out.push(...walk(dir, r));
    else if (st.isFile()) out.push(r);
    else throw new Error(`${join(dir, r)}: only regular files and directories can be packaged`);
  }
  return out;
}

export interface CollectResult {
  files: PackageFile[];
  /** Package-directory paths left out as development files. */
  skipped: string[];
}

/** The router's files from the package source directory (e.g. `luci-app-offload/`). */
export function collectPackageFiles(pkgDir: string): CollectResult {
  for (const d of UNSUPPORTED)
    if (existsSync(join(pkgDir, d))) throw new Error(`${pkgDir}/${d}: not supported by the standalone builder (use the SDK)`);
  const files: PackageFile[] = [];
  const skipped: string[] = [];
  for (const [sub, prefix] of MAPPING) {
    const base = join(pkgDir, sub);
    if (!existsSync(base)) continue;
    for (const rel of walk(base)) {
      if (DEV_FILE.test(rel)) {
        skipped.push(`${sub}/${rel}`);
        continue;
      }
      const source = join(base, rel);
      const mode = lstatSync(source).mode & 0o111 ? 0o755 : 0o644;
      files.push({ path: prefix + rel, source, mode });
    }
  }
  const paths = new Set(files.map((f) => f.path));
  const missing = REQUIRED.filter((p) => !paths.has(p));
  if (missing.length > 0)
    throw new Error(`missing from ${pkgDir}: ${missing.join(', ')} — run \`make build\` first (the handler and the panel bundle are build outputs)`);
  for (const p of EXECUTABLE) {
    const f = files.find((x) => x.path === p);
    if (f && f.mode !== 0o755) throw new Error(`${f.source} must be executable (rpcd runs it directly); the build sets mode 0755`);
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, skipped };
}

/** Tar entries rooted at `./`: every parent directory (0755) plus the files with their contents. */
export function dataEntries(files: ReadonlyArray<{ path: string; mode: number; data: Buffer }>): TarEntry[] {
  const dirs = new Set<string>(['./']);
  const entries: TarEntry[] = [];
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(`./${parts.slice(0, i).join('/')}/`);
    entries.push({ name: `./${f.path}`, mode: f.mode, data: f.data });
  }
  for (const d of dirs) entries.push({ name: d, mode: 0o755 });
  return entries;
}
