/** Shared set-up of the handler tiers: scenario roots removed after each test, calls under real qjs. */
import { afterEach } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runHandler } from '../helpers/qjs';
import { scenarioRoot, type TestRoot } from '../helpers/scenario';

const roots: TestRoot[] = [];
afterEach(() => {
  while (roots.length) roots.pop()?.cleanup();
});

/** A scenario root that is removed after the current test. */
export function scenario(name: string): TestRoot {
  const t = scenarioRoot(name);
  roots.push(t);
  return t;
}
export const call = <T>(t: TestRoot, method: string, args: object = {}): T => runHandler(['call', method], JSON.stringify(args), t.root).json as T;
export const firewall = (t: TestRoot): string => readFileSync(join(t.root, 'etc/config/firewall'), 'utf8');
/** The simulator's loaded ruleset ('' when none is loaded). */
export const ruleset = (t: TestRoot): string => (existsSync(join(t.root, 'sim/nft/ruleset.nft')) ? readFileSync(join(t.root, 'sim/nft/ruleset.nft'), 'utf8') : '');
