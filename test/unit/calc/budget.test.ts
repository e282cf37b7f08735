/** The time budget of set/flush against rpcd's exec timeout (issue 14); the drills are in test/rpcd/apply-safety.test.ts. */
import { describe, it, expect } from 'vitest';
import { STEP_MS, CALL_BUDGET_MS, RESTORE_RESERVE_MS, RPCD_EXEC_TIMEOUT_MS, STARTUP_MARGIN_MS } from '../../../rpcd/src/calc/budget';

describe('the time budget of set', () => {
  it('every step, summed on the longest path, fits inside rpcd\'s exec timeout', () => {
    // The call's deadline plus QuickJS's start stays under rpcd's limit …
    expect(CALL_BUDGET_MS + STARTUP_MARGIN_MS).toBeLessThanOrEqual(RPCD_EXEC_TIMEOUT_MS);
    // … the restore always has its reserve: the forward steps end RESTORE_RESERVE_MS before the deadline …
    expect(RESTORE_RESERVE_MS).toBeGreaterThanOrEqual(STEP_MS.restoreRevert + STEP_MS.restoreReload);
    // … and a full lock wait still leaves the reload its whole limit in the usual case (uci steps take ms).
    expect(STEP_MS.lockWait + STEP_MS.reload).toBeLessThanOrEqual(CALL_BUDGET_MS - RESTORE_RESERVE_MS);
    expect(STEP_MS).toEqual({ lockWait: 5000, uciShow: 3000, uciChanges: 2000, uciStep: 2000, uciCommit: 3000, reload: 10000, restoreRevert: 1000, restoreReload: 6000 });
  });

  it('the reserve is exactly the restore steps and a margin', () => {
    expect(RESTORE_RESERVE_MS).toBe(7500);
    expect(CALL_BUDGET_MS).toBe(26000);
    expect(RPCD_EXEC_TIMEOUT_MS).toBe(30000);
  });
});
