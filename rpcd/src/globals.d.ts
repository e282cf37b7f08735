/** Globals QuickJS's qjs adds (quickjs-libc js_std_add_helpers). */
declare const scriptArgs: string[];
