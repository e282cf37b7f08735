/** The handler's own file, where the rarely used methods travel (parse/embedded.ts). */
import * as std from 'std';
import { methodsFromFile } from '../parse/embedded';

/** The methods' source from the handler's file (`path`: scriptArgs[0], as rpcd ran it). */
export function readMethodsSource(path: string): string {
  const text = std.loadFile(path);
  if (text === null) throw new Error(`cannot read the handler's own file ${path}`);
  const src = methodsFromFile(text);
  if (src === null) throw new Error('the handler carries no method source (build it with scripts/build-handler.ts)');
  return src;
}
