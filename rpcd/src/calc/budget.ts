/**
 * The time budget of `set` and `flush` (issue 14): rpcd answers 5 and kills
 * the plugin when it has not answered in time, which would leave a change
 * half done. Every step has its own limit, the whole call has a deadline the
 * steps are cut to, and the restore keeps a reserve no forward step may use.
 * test/rpcd/apply-safety.test.ts asserts the sums. Pure constants.
 */

/** rpcd kills an exec plugin that has not answered after this long (rpcd -t, default 30 s). */
export const RPCD_EXEC_TIMEOUT_MS = 30000;
/** QuickJS start, reading stdin and compiling the methods, before `set` starts its clock (measured: < 0.3 s). */
export const STARTUP_MARGIN_MS = 2000;
/** Everything `set` or `flush` does, from its first step to its answer, ends within this. */
export const CALL_BUDGET_MS = 26000;

/** The time limit of each step; a step also ends at the call's deadline, whichever is first. */
export const STEP_MS = {
  lockWait: 5000,
  uciShow: 3000,
  uciChanges: 2000,
  /** Each `uci set`/`delete`/`add`. */
  uciStep: 2000,
  uciCommit: 3000,
  reload: 10000,
  restoreRevert: 1000,
  restoreReload: 6000,
} as const;
/** Kept free for putting the old config back: no forward step may use it. */
export const RESTORE_RESERVE_MS = STEP_MS.restoreRevert + STEP_MS.restoreReload + 500;
