/* Type declarations for the QuickJS `std` and `os` modules (quickjs-libc), the subset the handler uses. */
declare module 'std' {
  export interface FILE {
    close(): number;
    puts(s: string): void;
    printf(fmt: string, ...args: unknown[]): void;
    flush(): void;
    seek(offset: number, whence: number): number;
    tell(): number;
    eof(): boolean;
    fileno(): number;
    error(): boolean;
    getline(): string | null;
    readAsString(max?: number): string;
    write(buf: ArrayBuffer, pos: number, len: number): number;
    read(buf: ArrayBuffer, pos: number, len: number): number;
  }
  export const SEEK_SET: number;
  export const SEEK_CUR: number;
  export const SEEK_END: number;
  const stdin_: FILE;
  export { stdin_ as in };
  export const out: FILE;
  export const err: FILE;
  export function exit(code: number): never;
  export function getenv(name: string): string | undefined;
  export function open(path: string, mode: string, errorObj?: { errno?: number }): FILE | null;
  export function fdopen(fd: number, mode: string, errorObj?: { errno?: number }): FILE | null;
  export function tmpfile(errorObj?: { errno?: number }): FILE | null;
  export function strerror(errno: number): string;
  export function loadFile(path: string): string | null;
  export function evalScript(source: string, options?: { backtrace_barrier?: boolean }): unknown;
  export function parseExtJSON(s: string): unknown;
}

declare module 'os' {
  export interface Stat {
    dev: number; ino: number; mode: number; nlink: number; uid: number; gid: number;
    rdev: number; size: number; blocks: number; atime: number; mtime: number; ctime: number;
  }
  export interface ExecOptions {
    block?: boolean;
    usePath?: boolean;
    file?: string;
    cwd?: string;
    stdin?: number;
    stdout?: number;
    stderr?: number;
    env?: Record<string, string>;
  }
  export function open(path: string, flags: number, mode?: number): number;
  export function close(fd: number): number;
  export function read(fd: number, buf: ArrayBuffer, pos: number, len: number): number;
  export function write(fd: number, buf: ArrayBuffer, pos: number, len: number): number;
  export function remove(path: string): number;
  export function rename(oldPath: string, newPath: string): number;
  export function stat(path: string): [Stat | null, number];
  export function lstat(path: string): [Stat | null, number];
  export function readdir(path: string): [string[], number];
  export function readlink(path: string): [string, number];
  export function symlink(target: string, linkpath: string): number;
  export function realpath(path: string): [string, number];
  export function mkdir(path: string, mode?: number): number;
  export function exec(args: string[], options?: ExecOptions): number;
  export function waitpid(pid: number, options: number): [number, number];
  export function kill(pid: number, sig: number): number;
  export function sleep(ms: number): void;
  export function now(): number;
  export function getpid(): number;
  export function pipe(): [number, number] | null;
  export function dup(fd: number): number;
  export function dup2(oldfd: number, newfd: number): number;
  export const WNOHANG: number;
  export const SIGTERM: number;
  export const O_RDONLY: number;
  export const O_WRONLY: number;
  export const O_RDWR: number;
  export const O_CREAT: number;
  export const O_EXCL: number;
  export const O_TRUNC: number;
  export const O_APPEND: number;
  export const S_IFMT: number;
  export const S_IFREG: number;
  export const S_IFDIR: number;
  export const S_IFLNK: number;
}
