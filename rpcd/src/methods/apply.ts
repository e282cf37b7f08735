/**
 * `set` and `flush`: the only methods that change the router. Each runs under
 * the apply lock, keeps a journal with the firewall config as it was, and on
 * any failure puts that config back byte for byte and reloads it.
 */
import type { SetArgs, SetResult, FlushResult, ErrorResult, Mode } from '../api/contract';
import { acquireLock, ownerId } from '../sys/lock';
import { readFile, readText, fileMode } from '../sys/fs';
import { replaceKeepingMode, ensureMode } from '../sys/replace';
import { readRuleset } from '../sys/ruleset';
import { verifyApplied, firstNftError } from '../calc/verify';
import { run, firstLine, limitCommandsTo, seconds, type RunResult } from '../sys/exec';
import { uciShow, configuredMode } from '../sys/config';
import { firewallKind } from '../sys/facts';
import { readConntrackTable } from '../sys/conntrack';
import { countConntrack } from '../parse/conntrack';
import { sectionsOfType } from '../parse/uci';
import { errorResult } from '../protocol';
import { STEP_MS, CALL_BUDGET_MS, RESTORE_RESERVE_MS } from '../calc/budget';
import { status } from './status';
import { FIREWALL_CONFIG, writeJournal, loadJournal, writerAlive, removeJournal, writeLastWarning, clearLastWarning, readLastWarning } from '../sys/journal';
import * as os from 'os';

const CONFIG = FIREWALL_CONFIG;

/** fw4's warnings on stderr: `[!] text` when not a TTY, yellow ANSI when it is (fw4.uc warn()). */
export function fw4Warnings(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((l) => l.replace(/\u001b\[[0-9;]*m/g, '').trim())
    .filter((l) => l.startsWith('[!]') || /falling back|unavailable/i.test(l))
    .map((l) => l.replace(/^\[!\]\s*/, ''));
}

function reload(timeoutMs: number): RunResult {
  // Not `-q`: fw4 prints the hardware fallback warning only when not quiet.
  return run(['fw4', 'reload'], { timeoutMs });
}

/** Why a reload failed; a timeout names the limit that reload ran under. */
function describe(r: RunResult): string {
  if (r.timedOut) return `fw4 reload did not finish within ${seconds(r.limitMs)} and was stopped`;
  if (r.error) return r.error;
  return `fw4 reload failed (exit ${r.code ?? '?'}${firstLine(r) ? `: ${firstLine(r)}` : ''})`;
}

/**
 * Put the saved config back, byte for byte and with its mode, and reload it.
 * Returns a sentence for the error message.
 */
function restore(backup: string, mode: number | null): string {
  run(['uci', 'revert', 'firewall'], { timeoutMs: STEP_MS.restoreRevert });
  const err = readText(CONFIG) !== backup ? replaceKeepingMode(CONFIG, backup, mode) : mode === null ? null : ensureMode(CONFIG, mode);
  if (err) return `restoring the previous firewall config FAILED (${err}); check /etc/config/firewall`;
  const r = reload(STEP_MS.restoreReload);
  if (r.code !== 0) return `the previous firewall config was restored, but reloading it also failed (${describe(r)})`;
  const nftError = firstNftError(r.stderr);
  return nftError
    ? `the previous firewall config was restored, but nft rejected it too (${nftError})`
    : 'the previous firewall config was restored and reloaded';
}


function recoverInterrupted(): string | null {
  const j = loadJournal();
  if (!j) return null;
  if (writerAlive(j) && j.pid !== os.getpid()) return null;
  const note = j.backup !== '' ? restore(j.backup, j.mode) : 'its journal was unreadable, nothing restored';
  removeJournal();
  return `An interrupted change (${j.previous} → ${j.requested}) was found: ${note}.`;
}

function uciSteps(mode: Mode, defaultsCount: number): string[][] {
  const steps: string[][] = [];
  if (defaultsCount === 0) steps.push(['uci', 'add', 'firewall', 'defaults']);
  const n = Math.max(defaultsCount, 1);
  for (let i = 0; i < n; i++) {
    const sec = `firewall.@defaults[${i}]`;
    // As LuCI's zones.js writes it: '1' or the option deleted, hardware implies software.
    steps.push(mode === 'off' ? ['uci', '-q', 'delete', `${sec}.flow_offloading`] : ['uci', 'set', `${sec}.flow_offloading=1`]);
    steps.push(mode === 'hardware' ? ['uci', 'set', `${sec}.flow_offloading_hw=1`] : ['uci', '-q', 'delete', `${sec}.flow_offloading_hw`]);
  }
  return steps;
}

/**
 * Run `fn` under the apply lock and the call's deadline: forward steps end
 * RESTORE_RESERVE_MS before it (see {@link forward}), the restore may use the rest.
 */
function withLock<T>(fn: (forward: () => void, reserve: () => void) => T | ErrorResult): T | ErrorResult {
  const deadline = os.now() + CALL_BUDGET_MS;
  const forward = (): void => limitCommandsTo(deadline - RESTORE_RESERVE_MS);
  const reserve = (): void => limitCommandsTo(deadline);
  const release = acquireLock(Math.min(STEP_MS.lockWait, deadline - RESTORE_RESERVE_MS - os.now()));
  if (!release) return errorResult('busy', 'Another offload change is in progress; try again when it has finished.');
  try {
    forward();
    return fn(forward, reserve);
  } finally {
    limitCommandsTo(Infinity);
    release();
  }
}

export function set(args: SetArgs): SetResult | ErrorResult {
  const requested = args.mode;
  if (firewallKind() !== 'fw4') return errorResult('unsupported', 'This router does not run firewall4, so offloading cannot be switched here.');
  return withLock((forward, reserve) => {
    const recovered = recoverInterrupted();
    const fw = uciShow('firewall', STEP_MS.uciShow);
    if (fw.error) return errorResult('apply_failed', `Cannot read the firewall config: ${fw.error}. Nothing was changed.`);
    const pending = run(['uci', 'changes', 'firewall'], { timeoutMs: STEP_MS.uciChanges });
    if (pending.code === 0 && pending.stdout.trim() !== '') {
      return errorResult(
        'apply_failed',
        'The firewall config has uncommitted changes made elsewhere (see `uci changes firewall`). Commit or revert them first; nothing was changed.',
      );
    }
    const cur = configuredMode(fw.sections);
    if (cur.mode === requested && !recovered) {
      // "Already active" only when the running ruleset shows it; otherwise (never reloaded,
      // or nft rejected the last reload) the same mode is applied again and verified.
      const running = readRuleset();
      const last = readLastWarning();
      if (verifyApplied(requested, running, '', last ? [last.text] : []).ok) {
        return { changed: false, previous: cur.mode, requested, warning: null, reload_ms: 0, recovered: null, status: status(running) };
      }
    }
    const before = readFile(CONFIG);
    if (!before.ok) return errorResult('apply_failed', `Cannot read ${CONFIG}: ${before.error}. Nothing was changed.`);
    const mode = fileMode(CONFIG);
    const journalError = writeJournal({ pid: os.getpid(), owner: ownerId(), at: Date.now(), previous: cur.mode, requested, backup: before.text, mode });
    if (journalError) {
      removeJournal();
      return errorResult('apply_failed', `Cannot write the apply journal (${journalError}), so a crash could not be undone. Nothing was changed.`);
    }

    const fail = (what: string): ErrorResult => {
      reserve();
      const note = restore(before.text, mode);
      removeJournal();
      return errorResult('apply_failed', `${what}; ${note}.`);
    };
    // Before `uci commit` only uci's staging area has changed: revert it, the running firewall was never touched.
    const failStaged = (what: string): ErrorResult => {
      reserve();
      const rv = run(['uci', 'revert', 'firewall'], { timeoutMs: STEP_MS.restoreRevert });
      removeJournal();
      const note = rv.code === 0 ? 'the staged uci changes were reverted and the firewall was not reloaded' : `reverting the staged uci changes failed too (${rv.error ?? (firstLine(rv) || `exit ${rv.code}`)}); see \`uci changes firewall\``;
      return errorResult('apply_failed', `${what}; ${note}. Nothing was changed.`);
    };
    for (const argv of uciSteps(requested, sectionsOfType(fw.sections, 'defaults').length)) {
      const r = run(argv, { timeoutMs: STEP_MS.uciStep });
      // `uci -q delete` of an absent option exits 1: that is the wanted end state.
      if (r.code !== 0 && !(argv[2] === 'delete' && r.code === 1)) return failStaged(`\`${argv.join(' ')}\` failed (${r.error ?? (firstLine(r) || `exit ${r.code}`)})`);
    }
    const commit = run(['uci', 'commit', 'firewall'], { timeoutMs: STEP_MS.uciCommit });
    if (commit.code !== 0) return fail(`\`uci commit firewall\` failed (${commit.error ?? (firstLine(commit) || `exit ${commit.code}`)}); is the overlay read-only?`);

    const r = reload(STEP_MS.reload);
    if (r.code !== 0) return fail(describe(r));
    const warnings = fw4Warnings(r.stderr);
    // fw4's exit status does not prove the ruleset loaded: the running ruleset does.
    const running = readRuleset();
    const verdict = verifyApplied(requested, running, r.stderr, warnings);
    if (!verdict.ok) return fail(`The switch to ${requested} did not take effect: ${verdict.reason}`);
    const warning = warnings[0] ?? null;
    if (warning) writeLastWarning(warning);
    else if (requested !== 'hardware') clearLastWarning();
    removeJournal();
    return { changed: true, previous: cur.mode, requested, warning, reload_ms: r.ms, recovered, status: status(running) };
  });
}

function offloadedNow(): number | null {
  const t = readConntrackTable();
  if (t.source === 'none') return null;
  const c = countConntrack(t.text);
  return c.offloaded + c.hw_offloaded;
}

/**
 * Recreate the flowtable with `fw4 reload`: fw4 deletes flowtable ft and adds
 * it again in one nft transaction, so the kernel tears down every offloaded
 * flow. The conntrack entries stay; the flows' next packets take the normal
 * forward path, meet the current rules, and are offloaded again if allowed.
 */
export function flush(): FlushResult | ErrorResult {
  if (firewallKind() !== 'fw4') return errorResult('unsupported', 'This router does not run firewall4.');
  return withLock(() => {
    const before = offloadedNow();
    const r = reload(STEP_MS.reload);
    if (r.code !== 0) return errorResult('apply_failed', `${describe(r)}. The firewall config was not touched.`);
    const nftError = firstNftError(r.stderr);
    if (nftError) {
      return errorResult('apply_failed', `nft rejected the ruleset (${nftError}), so the flowtable was not recreated; the previous ruleset stays loaded. The firewall config was not touched.`);
    }
    const warning = fw4Warnings(r.stderr)[0] ?? null;
    const after = offloadedNow();
    return {
      offloaded_before: before,
      offloaded_after: after,
      reload_ms: r.ms,
      warning,
      detail:
        'The firewall was reloaded, which recreates the flowtable: offloaded flows went back to the normal path and meet the current rules. ' +
        'Connections stay open (their conntrack entries are kept); allowed flows are offloaded again on their next packets.',
    };
  });
}
