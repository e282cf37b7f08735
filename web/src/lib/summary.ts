/**
 * The summary strip's content: the first line a screenshot answers with, and
 * the problems that turn it into a warning, in the order they matter (no
 * answer at all, stale figures, the running mode differing from the request,
 * device problems, conflicts, warnings). Pure apart from translation.
 */
import type { StatusResult } from '../../../rpcd/src/api/contract';
import { clock } from './format';
import { problemText, stateName } from './describe';
import { t, fmt, say } from './i18n';

/** A problem in words and the anchor of the place that shows it. */
export interface SummaryProblem {
  text: string;
  href: string;
}

export interface SummaryInput {
  status: StatusResult | null;
  /** Why the last status load failed. */
  statusError: string | null;
  stale: { since: number; reason: string } | null;
  lost: { since: number } | null;
}

/** Anchors of the places the strip links to (ids set in App.tsx and the live view). */
export const ANCHOR = { connection: '#lo-connection', live: '#lo-live', state: '#lo-state' } as const;

/** Every problem the page shows, first the one to read first. */
export function summaryProblems(i: SummaryInput): SummaryProblem[] {
  const out: SummaryProblem[] = [];
  if (i.lost) out.push({ text: fmt(t('Connection to the router lost since %s.'), clock(new Date(i.lost.since))), href: ANCHOR.connection });
  else if (i.stale) out.push({ text: fmt(t('The figures are stale since %s: %s'), clock(new Date(i.stale.since)), i.stale.reason), href: ANCHOR.live });
  if (i.statusError) out.push({ text: fmt(t('The state could not be read: %s'), i.statusError), href: ANCHOR.state });
  const st = i.status;
  if (!st) return out;
  const e = st.effective;
  if (e.state === 'hardware-fallback') {
    out.push({ text: t('Hardware offloading was requested, but the router runs software offloading.'), href: ANCHOR.state });
  } else if (e.state === 'hardware' && e.hardware?.verdict === 'none-in-hardware') {
    // flags offload is not proof (ipq40xx, openwrt/openwrt#14365): the flows say the hardware takes none.
    out.push({ text: t('Hardware offloading is on, but none of the offloaded connections is in hardware.'), href: ANCHOR.state });
  } else if (e.state === 'misconfigured' || e.state === 'unsupported' || e.state === 'unknown') {
    out.push({ text: fmt(t('%s: %s'), stateName(e.state), say(e.reason_msg, e.reason)), href: ANCHOR.state });
  }
  for (const d of st.devices) for (const p of d.problems) out.push({ text: fmt(t('%s: %s'), d.device, problemText(p)), href: ANCHOR.state });
  for (const c of st.conflicts) if (c.severity === 'warning') out.push({ text: c.text, href: ANCHOR.state });
  for (const w of st.warnings) out.push({ text: w, href: ANCHOR.state });
  return out;
}
