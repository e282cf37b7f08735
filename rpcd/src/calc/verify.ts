/**
 * Did a reload really apply what was asked? Pure.
 *
 * `fw4 reload` exits 0 when nft rejects the ruleset: its start() pipes the
 * rendered ruleset into `nft -f` and then renders the includes, and the
 * group's status is that of the last command (real-programs.md §3). nft's
 * transaction is all or nothing, so the previous ruleset stays loaded and
 * only its `Error:` lines on stderr tell. The exit status therefore proves
 * nothing; the running ruleset read after the reload does.
 */
import type { Mode } from '../api/contract';
import type { RulesetView } from './state';
import { FALLBACK_WARNING } from './state';

/** nft's error lines in fw4's stderr (`/dev/stdin:12:3-40: Error: Could not process rule: …`). */
export function nftErrors(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /(^|\s)Error:/.test(l));
}

/** The first nft error, from `Error:` on, shortened for a message. */
export function firstNftError(stderr: string): string | null {
  const line = nftErrors(stderr)[0];
  if (line === undefined) return null;
  const text = line.slice(line.indexOf('Error:'));
  return text.length > 200 ? text.slice(0, 200) + '…' : text;
}

/**
 * The offload mode the running ruleset implements, or null when it does not
 * implement a whole one (a flowtable without devices or without its rule, a
 * rule without the flowtable, or no readable ruleset at all).
 */
export function runningMode(r: RulesetView): Mode | null {
  if (!r.readable) return null;
  const ft = r.flowtable;
  if (!ft) return r.rule ? null : 'off';
  if (!r.rule || ft.devices.length === 0) return null;
  return ft.hw ? 'hardware' : 'software';
}

export type Verdict = { ok: true; running: Mode } | { ok: false; reason: string };

const describeRunning = (r: RulesetView): string => {
  const m = runningMode(r);
  if (m) return m === 'off' ? 'no flowtable' : `a ${m} flowtable`;
  if (r.flowtable && r.flowtable.devices.length === 0) return 'a flowtable without devices';
  if (r.flowtable) return 'a flowtable that no forward rule uses';
  return 'an offload rule without its flowtable';
};

/**
 * Compare what runs after a reload with what was requested.
 * @param warnings fw4's `[!]` warnings of that reload (the hardware fallback).
 */
export function verifyApplied(requested: Mode, ruleset: RulesetView, stderr: string, warnings: string[]): Verdict {
  const nftError = firstNftError(stderr);
  if (nftError) return { ok: false, reason: `nft rejected the new ruleset (${nftError}); the previous ruleset stayed loaded` };
  if (!ruleset.readable) {
    return { ok: false, reason: `after the reload the running ruleset could not be read (${ruleset.error ?? 'no reason given'})` };
  }
  const running = runningMode(ruleset);
  if (running === requested) return { ok: true, running };
  // fw4's own outcome for hardware on devices that refuse it: software, with its warning.
  if (requested === 'hardware' && running === 'software' && warnings.some((w) => w.includes(FALLBACK_WARNING))) return { ok: true, running };
  if (running === 'off' && requested !== 'off') {
    return {
      ok: false,
      reason: 'after the reload the running ruleset has no flowtable: fw4 found no device of a zone network to put into it (it takes them from netifd)',
    };
  }
  return { ok: false, reason: `after the reload the running ruleset has ${describeRunning(ruleset)}, not ${requested} offloading` };
}
