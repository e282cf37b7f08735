/** Scenario roots for handler tests: the simulator's layout without its web server. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildScenarioRoot, resolveScenario } from '../sim/scenario/build';
import { RouterModel } from '../sim/scenario/model';
import { qjs, TOOLS_DIR, requireBuild } from './qjs';

export interface TestRoot {
  root: string;
  model: RouterModel;
  cleanup(): void;
}

export function scenarioRoot(name: string): TestRoot {
  requireBuild();
  const root = mkdtempSync(join(tmpdir(), `offload-test-${name}-`));
  const spec = resolveScenario(name);
  buildScenarioRoot(spec, root, { qjs: qjs(), toolsDir: TOOLS_DIR });
  const model = new RouterModel(root, spec);
  return { root, model, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
