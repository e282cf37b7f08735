/** The command line shared by `make ipk` and `make feed`: where the repo, the package tree and the output are. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface PackageCli {
  repo: string;
  pkgDir: string;
  out: string;
}

/** `[--src luci-app-offload] [--out dist] [--repo .]`, resolved to absolute paths. */
export function packageCli(): PackageCli {
  const { values } = parseArgs({
    options: {
      src: { type: 'string', default: 'luci-app-offload' },
      out: { type: 'string', default: 'dist' },
      repo: { type: 'string', default: '.' },
    },
  });
  const repo = resolve(values.repo);
  return { repo, pkgDir: resolve(repo, values.src), out: resolve(repo, values.out) };
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
