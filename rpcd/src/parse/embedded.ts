/**
 * The rarely used methods travel in a block comment at the end of the handler's file
 * (scripts/build-handler.ts writes it, sys/self.ts reads it back): QuickJS skips a comment with a
 * bare scan, where the same text as a string literal cost ~0.6 ms of every call (measured on the
 * build machine: a 70 KB literal 2.6 ms vs 1.9 ms for an empty module, the comment 2.0 ms).
 */

/** Where the methods' source starts in the handler's file. */
export const METHODS_MARK = '/*luci-offload-methods\n';

/**
 * Inside the comment `*` + `/` would end it: `@` escapes (`@@` for `@`, `*@/` for `*` + `/`).
 * One pass each way, so every text comes back as it was.
 */
export function escapeMethods(text: string): string {
  return text.replace(/@|\*\//g, (m) => (m === '@' ? '@@' : '*@/'));
}

export function unescapeMethods(text: string): string {
  return text.replace(/@([@/])/g, '$1');
}

/**
 * The source between the mark and the comment's end, unescaped; null unless the file ends with
 * such a comment. The mark must start a line: the module itself holds METHODS_MARK as a string
 * (esbuild writes it as a template literal with a real newline), never at a line start.
 */
export function methodsFromFile(file: string): string | null {
  const at = file.lastIndexOf(`\n${METHODS_MARK}`);
  const body = file.trimEnd();
  if (at < 0 || !body.endsWith('*/')) return null;
  const start = at + 1 + METHODS_MARK.length;
  const end = body.length - 2;
  return end < start ? null : unescapeMethods(file.slice(start, end));
}
