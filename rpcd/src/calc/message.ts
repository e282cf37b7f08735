/**
 * Sentences the user reads, as catalogue msgids with parameters (api/contract Message). Pure.
 * Call msg() with the English template as a string literal: scripts/gen-pot.ts extracts it into
 * the catalogue, and a test fails when a call passes anything else first.
 */
import type { Message } from '../api/contract';

/** `%s` filled in order, `%%` a percent sign (the subset the panel's fmt renders). */
export function fill(template: string, params: readonly string[]): string {
  let i = 0;
  return template.replace(/%([s%])/g, (_m, k: string) => (k === '%' ? '%' : (params[i++] ?? '')));
}

export function msg(template: string, ...params: (string | number)[]): Message {
  const p = params.map(String);
  return { text: fill(template, p), parts: [{ template, params: p }] };
}

/** Sentences one after another. */
export function join(...ms: Message[]): Message {
  return { text: ms.map((m) => m.text).join(' '), parts: ms.flatMap((m) => m.parts) };
}
