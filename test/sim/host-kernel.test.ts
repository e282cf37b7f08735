/**
 * The host-kernel scenario (the platform tier's router, simulated): a kernel without
 * flowtables. Its nft refuses the flowtable and its `flow offload` rule as the real
 * nft does on this machine kind (test/fixtures/platform), and fw4 still exits 0.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioRoot, type TestRoot } from '../helpers/scenario';
import { REPO } from '../helpers/qjs';

let t: TestRoot | undefined;
afterEach(() => t?.cleanup());

const REAL = readFileSync(join(REPO, 'test/fixtures/platform/fw4-reload-no-flowtable.stderr.txt'), 'utf8');
// fw4 renders its own template; the simulator's differs in length, so line numbers are not compared.
const noLines = (s: string): string => s.replace(/^(\/dev\/stdin):\d+:/gm, '$1:N:');

describe('host-kernel scenario: no flowtables in the kernel', () => {
  it('fw4 reload with offloading on: exit 0, the real nft errors, the off ruleset stays', () => {
    t = scenarioRoot('host-kernel');
    const store = join(t.root, 'sim/nft/ruleset.nft');
    const before = readFileSync(store, 'utf8');
    const p = join(t.root, 'etc/config/firewall');
    writeFileSync(p, readFileSync(p, 'utf8').replace('config defaults\n', "config defaults\n\toption flow_offloading '1'\n"));
    const r = spawnSync(join(t.root, 'sbin/fw4'), ['reload'], { env: { PATH: process.env.PATH, OFFLOAD_ROOT: t.root }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(noLines(r.stderr)).toBe(noLines(REAL));
    expect(readFileSync(store, 'utf8')).toBe(before);
  });

  it('no nft_flow_offload module', () => {
    t = scenarioRoot('host-kernel');
    expect(existsSync(join(t.root, 'sys/module/nft_flow_offload'))).toBe(false);
  });
});
