/** The one shell-word tokenizer behind `uci show`, `/etc/config/*` and `/etc/openwrt_release` (issue 14). */
import { describe, expect, it } from 'vitest';
import { shellWords, type ShellWordsOptions } from '../../../rpcd/src/parse/shell-words';

const SHOW: ShellWordsOptions = { double: 'literal', comments: false };
const FILE: ShellWordsOptions = { double: 'any', comments: true };
const SH: ShellWordsOptions = { double: 'sh', comments: true };

describe('shellWords', () => {
  it.each([
    // as `uci show` prints values
    ["'lan'", ['lan']],
    ["'br-lan' 'wan'", ['br-lan', 'wan']],
    ["'it'\\''s'", ["it's"]],
    ["'a b'", ['a b']],
    ["''", ['']],
    ["'' 'x'", ['', 'x']],
    ["'unterminated", ['unterminated']],
    ['plain\\ word', ['plain word']],
    ['trailing\\', ['trailing\\']],
    ['"not a quote"', ['"not', 'a', 'quote"']],
    ['# not a comment', ['#', 'not', 'a', 'comment']],
    ["\t'a'\r", ['a']],
    ['', []],
    ['   ', []],
  ] as const)('uci show: %j', (input, want) => {
    expect(shellWords(input, SHOW)).toEqual(want);
  });

  it.each([
    // lines of /etc/config/*
    ["option name 'lan'", ['option', 'name', 'lan']],
    ['\toption name "w a n"', ['option', 'name', 'w a n']],
    ['option x "say \\"hi\\" \\n"', ['option', 'x', 'say "hi" n']],
    ["option x 'a\\b'", ['option', 'x', 'a\\b']],
    ['option x a\\ b', ['option', 'x', 'a b']],
    ['option x "a"\'b\'c', ['option', 'x', 'abc']],
    ['option x "open', ['option', 'x', 'open']],
    ['option x "end\\', ['option', 'x', 'end\\']],
    ['# config zone', []],
    ["option x 'v' # comment", ['option', 'x', 'v']],
    ['option x a#b', ['option', 'x', 'a#b']],
    ["option x '#v'", ['option', 'x', '#v']],
  ] as const)('uci file: %j', (input, want) => {
    expect(shellWords(input, FILE)).toEqual(want);
  });

  it.each([
    // values of /etc/openwrt_release and /etc/os-release
    ["'24.10.0'", ['24.10.0']],
    ['"OpenWrt 24.10.0 r28427-6df0e3d02a"', ['OpenWrt 24.10.0 r28427-6df0e3d02a']],
    ['"a \\"b\\" \\\\ \\$HOME \\`x\\`"', ['a "b" \\ $HOME `x`']],
    ['"keep \\n and \\x"', ['keep \\n and \\x']],
    ["'it'\\''s'", ["it's"]],
    ['"mixed"\'parts\'bare', ['mixedpartsbare']],
    ['#comment', []],
    ['value # comment', ['value']],
    ['a#b', ['a#b']],
  ] as const)('sh: %j', (input, want) => {
    expect(shellWords(input, SH)).toEqual(want);
  });
});
