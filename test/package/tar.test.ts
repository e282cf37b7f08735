/** The tar writer used for the ipk and the feed tarball writes what GNU tar writes. */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sortEntries, writeTar, type TarEntry } from '../../scripts/package/tar';
import { removeTempDirs, tempDir } from './helpers';

const EPOCH = 1700000000;

afterAll(removeTempDirs);

/** A tree with the awkward cases: names that sort differently as paths and per directory, a long name, empty and block-sized files. */
function fixture(): { dir: string; entries: TarEntry[] } {
  const dir = tempDir('tar');
  const files: Array<[string, Buffer, number]> = [
    ['a/b', Buffer.from('inside a\n'), 0o644],
    ['a-c', Buffer.from('dash sorts before slash\n'), 0o644],
    ['B', Buffer.from('upper case sorts first\n'), 0o755],
    ['empty', Buffer.alloc(0), 0o644],
    ['block', Buffer.alloc(512, 0x61), 0o600],
    [`deep/${'x'.repeat(60)}/${'y'.repeat(60)}.js`, Buffer.from('long name\n'), 0o644],
  ];
  const entries: TarEntry[] = [{ name: './', mode: 0o755 }];
  const dirs = new Set<string>();
  for (const [rel, data, mode] of files) {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    mkdirSync(join(dir, ...parts.slice(0, -1)), { recursive: true });
    writeFileSync(join(dir, rel), data);
    chmodSync(join(dir, rel), mode);
    entries.push({ name: `./${rel}`, mode, data });
  }
  for (const d of dirs) {
    chmodSync(join(dir, d), 0o755);
    entries.push({ name: `./${d}/`, mode: 0o755 });
  }
  chmodSync(dir, 0o755);
  return { dir, entries };
}

function gnuTar(dir: string): Buffer {
  return execFileSync('tar', ['--format=gnu', '--numeric-owner', '--owner=0', '--group=0', '--sort=name', `--mtime=@${EPOCH}`, '-cf', '-', '.'], { cwd: dir });
}

describe('tar writer', () => {
  it('writes the same bytes as GNU tar --format=gnu --sort=name --numeric-owner --owner=0 --group=0 --mtime=@EPOCH', () => {
    const { dir, entries } = fixture();
    const ours = writeTar(sortEntries(entries), EPOCH);
    expect(ours.length % 10240).toBe(0);
    expect(ours.equals(gnuTar(dir))).toBe(true);
  });

  it('orders entries like --sort=name: depth first, each directory in byte order', () => {
    const names = sortEntries(fixture().entries).map((e) => e.name);
    expect(names.slice(0, 6)).toEqual(['./', './B', './a/', './a/b', './a-c', './block']);
  });

  it('refuses a directory with data and a file without', () => {
    expect(() => writeTar([{ name: './d/', mode: 0o755, data: Buffer.from('x') }], EPOCH)).toThrow(/directories end with/);
    expect(() => writeTar([{ name: './f', mode: 0o644 }], EPOCH)).toThrow(/directories end with/);
  });
});
