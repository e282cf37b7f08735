/** The largest flows of a table seen one entry at a time (methods/flows.ts). Pure. */
import type { ConntrackEntry } from '../parse/conntrack';

/**
 * Keep `e` among the `limit` largest by bytes, in `top` (sorted, largest first): the same list a
 * stable sort of every entry would start with (ties stay in table order), without keeping every
 * entry — at 64k entries those took ~110 MB of the handler's memory.
 */
export function keepLargest(top: ConntrackEntry[], e: ConntrackEntry, limit: number): void {
  if (limit <= 0 || (top.length === limit && (top[limit - 1] as ConntrackEntry).bytes >= e.bytes)) return;
  let i = top.length;
  while (i > 0 && (top[i - 1] as ConntrackEntry).bytes < e.bytes) i--;
  top.splice(i, 0, e);
  if (top.length > limit) top.pop();
}
