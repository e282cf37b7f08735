/**
 * Drives the handler's PPE debugfs reader under QuickJS against $OFFLOAD_ROOT: prints
 * `{ "mounted": debugfsMounted(), "view": readPpe() }` as JSON.
 */
import * as std from 'std';
import { debugfsMounted, readPpe } from '../../../rpcd/src/sys/ppe';

std.out.puts(JSON.stringify({ mounted: debugfsMounted(), view: readPpe() }) + '\n');
