/** The command line shared by `make ipk`, `make apk`, `make feed` and `make release`. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface PackageCli {
  repo: string;
  pkgDir: string;
  out: string;
  /** The directory scripts/package/build-pkgtools.sh prints (bin/apk, bin/po2lmo …). */
  tools: string;
  /** Overrides package.json's version (tests build a "previous version" this way). */
  version?: string;
  /** `make ipk` / `make apk`: which package format. */
  format: string;
}

/** `[--src luci-app-offload] [--out dist] [--repo .] [--tools DIR] [--version X] [--format ipk|apk]`, resolved to absolute paths. */
export function packageCli(): PackageCli {
  const { values } = parseArgs({
    options: {
      src: { type: 'string', default: 'luci-app-offload' },
      out: { type: 'string', default: 'dist' },
      repo: { type: 'string', default: '.' },
      tools: { type: 'string' },
      version: { type: 'string' },
      format: { type: 'string', default: 'ipk' },
    },
  });
  const repo = resolve(values.repo);
  const tools = resolve(values.tools ?? process.env.PKGTOOLS ?? join(repo, '.cache/pkgtools'));
  return { repo, pkgDir: resolve(repo, values.src), out: resolve(repo, values.out), tools, version: values.version, format: values.format };
}

/** A tool from the pkgtools directory; a missing one names the script that builds it. */
export function tool(tools: string, name: string): string {
  const path = join(tools, 'bin', name);
  if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/package/build-pkgtools.sh (make apk/ipk do)`);
  return path;
}

/** Run a build step; a failure prints `<label>: <message>` and exits 1. */
export function runStep(label: string, step: () => void): void {
  try {
    step();
  } catch (e) {
    console.error(`${label}: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
