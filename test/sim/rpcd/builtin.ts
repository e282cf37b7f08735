/**
 * rpcd's built-in objects the panel may use: `session`, `file` (read, stat)
 * and `uci` (get, configs, changes, set, revert). Paths map into the scenario
 * root. Signatures as the real daemons list them (fixtures/list-all-objects).
 */
import { readFileSync, statSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { UBUS, reply, type UbusObject, type Reply } from './bus';
import type { Sessions } from './session';
import { parseUci, type Section as UciSection } from '../tools/uci-parse';

const S = 'string';

export function sessionObject(sessions: Sessions): UbusObject {
  return {
    name: 'session',
    signature: {
      create: { timeout: 'number' },
      list: { ubus_rpc_session: S },
      grant: { ubus_rpc_session: S, scope: S, objects: 'array' },
      revoke: { ubus_rpc_session: S, scope: S, objects: 'array' },
      access: { ubus_rpc_session: S, scope: S, object: S, function: S },
      set: { ubus_rpc_session: S, values: 'object' },
      get: { ubus_rpc_session: S, keys: 'array' },
      unset: { ubus_rpc_session: S, keys: 'array' },
      destroy: { ubus_rpc_session: S },
      login: { username: S, password: S, timeout: 'number' },
    },
    async call(method, args, ctx): Promise<Reply> {
      switch (method) {
        case 'login': {
          const r = sessions.login(args.username, args.password, args.timeout);
          return reply(r.status, r.data as Record<string, unknown> | undefined);
        }
        case 'access': {
          if (!sessions.get(ctx.sid)) return reply(UBUS.NOT_FOUND);
          const scope = typeof args.scope === 'string' ? args.scope : 'ubus';
          if (typeof args.object !== 'string' || typeof args.function !== 'string') return reply(UBUS.INVALID_ARGUMENT);
          return reply(UBUS.OK, { access: sessions.allowed(ctx.sid, scope, args.object, args.function) });
        }
        case 'destroy':
          if (ctx.sid === '00000000000000000000000000000000') return reply(UBUS.PERMISSION_DENIED);
          sessions.destroy(ctx.sid);
          return reply(UBUS.OK);
        case 'list': {
          const s = sessions.get(ctx.sid);
          return s ? reply(UBUS.OK, sessions.dump(s) as Record<string, unknown>) : reply(UBUS.NOT_FOUND);
        }
        default:
          return reply(UBUS.METHOD_NOT_FOUND);
      }
    },
  };
}

/** Collapse `//`, `/./` and `/../` as rpcd does before matching the file ACL. */
export function canonicalPath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

/** rpcd-mod-file reads files reporting size 0 (procfs, sysfs) with one 4096-byte read. */
export const PROC_READ_MAX = 4096;
export const FILE_MAX_SIZE = 4096 * 64;

export function fileObject(root: string, sessions: Sessions, beforeRead?: () => void): UbusObject {
  const p = { path: S, ubus_rpc_session: S };
  return {
    name: 'file',
    signature: {
      read: { path: S, base64: 'boolean', ubus_rpc_session: S },
      write: { path: S, data: S, append: 'boolean', mode: 'number', base64: 'boolean', ubus_rpc_session: S },
      list: p,
      lstat: p,
      stat: p,
      md5: p,
      remove: p,
      exec: { command: S, params: 'array', env: 'object', ubus_rpc_session: S },
    },
    async call(method, args, ctx): Promise<Reply> {
      if (typeof args.path !== 'string' && method !== 'exec') return reply(UBUS.INVALID_ARGUMENT);
      const path = canonicalPath(String(args.path ?? ''));
      const need = method === 'read' || method === 'md5' ? 'read' : method === 'write' || method === 'remove' ? 'write' : method === 'exec' ? 'exec' : 'list';
      if (method === 'exec' || !sessions.allowed(ctx.sid, 'file', path, need)) return reply(UBUS.PERMISSION_DENIED);
      const real = join(root, path);
      if (method === 'read') {
        beforeRead?.();
        const st = statSync(real, { throwIfNoEntry: false });
        if (!st) return reply(UBUS.NOT_FOUND);
        if (st.isDirectory()) return reply(UBUS.INVALID_ARGUMENT);
        let data: string;
        try {
          data = readFileSync(real, 'utf8');
        } catch {
          return reply(UBUS.PERMISSION_DENIED);
        }
        if (/^\/(proc|sys)\//.test(path)) {
          // Kernel files report size 0: one read() of 4096 bytes, whole lines for seq_files.
          if (Buffer.byteLength(data) > PROC_READ_MAX) {
            const cut = Buffer.from(data).subarray(0, PROC_READ_MAX).toString('utf8');
            data = path.startsWith('/proc/') ? cut.slice(0, cut.lastIndexOf('\n') + 1) : cut;
          }
        } else if (st.size >= FILE_MAX_SIZE) return reply(UBUS.NOT_SUPPORTED);
        if (!data) return reply(UBUS.NO_DATA);
        return reply(UBUS.OK, { data: args.base64 === true ? Buffer.from(data).toString('base64') : data });
      }
      if (method === 'stat' || method === 'lstat') {
        const st = statSync(real, { throwIfNoEntry: false });
        if (!st) return reply(UBUS.NOT_FOUND);
        const type = st.isDirectory() ? 'directory' : st.isFile() ? 'file' : st.isSymbolicLink() ? 'symlink' : 'unknown';
        return reply(UBUS.OK, {
          path, type, size: st.size, mode: st.mode, atime: Math.floor(st.atimeMs / 1000), mtime: Math.floor(st.mtimeMs / 1000),
          ctime: Math.floor(st.ctimeMs / 1000), inode: st.ino, uid: st.uid, gid: st.gid, user: st.uid === 0 ? 'root' : String(st.uid), group: st.gid === 0 ? 'root' : String(st.gid),
        });
      }
      if (method === 'list') {
        try {
          return reply(UBUS.OK, { entries: readdirSync(real).map((name) => ({ name })) });
        } catch {
          return reply(UBUS.NOT_FOUND);
        }
      }
      return reply(UBUS.NOT_SUPPORTED);
    },
  };
}

export { anonymousName } from '../tools/uci-parse';

/** Sections with the names uci gives them (anonymous ones already carry their cfgNNXXXX name). */
function named(sections: UciSection[]): { name: string; s: UciSection }[] {
  return sections.map((s) => ({ name: s.name, s }));
}

/** `@type[n]` (negative from the end) or a section name, as uci's extended syntax resolves it. */
function lookup(all: { name: string; s: UciSection }[], ref: string): { name: string; s: UciSection } | undefined {
  const m = /^@([A-Za-z0-9_-]+)\[(-?\d+)\]$/.exec(ref);
  if (!m) return all.find((x) => x.name === ref);
  const list = all.filter((x) => x.s.type === m[1]);
  const i = Number(m[2]);
  return list[i < 0 ? list.length + i : i];
}

function sectionValues(name: string, s: UciSection, index?: number): Record<string, unknown> {
  const v: Record<string, unknown> = { '.anonymous': s.anonymous, '.type': s.type, '.name': name };
  if (index !== undefined) v['.index'] = index;
  return { ...v, ...s.options };
}

export function uciObject(root: string, sessions: Sessions): UbusObject {
  // Staged changes per session (rpcd keeps them in /var/run/rpcd/uci-<sid>).
  const staged = new Map<string, Map<string, string[][]>>();
  const stage = (sid: string, config: string): string[][] => {
    let m = staged.get(sid);
    if (!m) staged.set(sid, (m = new Map()));
    let l = m.get(config);
    if (!l) m.set(config, (l = []));
    return l;
  };
  const load = (config: string): { name: string; s: UciSection }[] | null => {
    try {
      const r = parseUci(readFileSync(join(root, 'etc/config', config), 'utf8'));
      // rpcd's uci_load fails on a file libuci cannot parse: the call answers NOT_FOUND, as for a missing one.
      return r.ok ? named(r.sections) : null;
    } catch {
      return null;
    }
  };
  const cfg = { config: S, section: S, option: S, type: S, match: 'object', ubus_rpc_session: S };
  return {
    name: 'uci',
    signature: {
      configs: {},
      get: cfg,
      state: cfg,
      add: { config: S, type: S, name: S, values: 'object', ubus_rpc_session: S },
      set: { config: S, section: S, type: S, match: 'object', values: 'object', ubus_rpc_session: S },
      delete: { config: S, section: S, type: S, match: 'object', option: S, options: 'array', ubus_rpc_session: S },
      rename: { config: S, section: S, option: S, name: S, ubus_rpc_session: S },
      order: { config: S, sections: 'array', ubus_rpc_session: S },
      changes: { config: S, ubus_rpc_session: S },
      revert: { config: S, ubus_rpc_session: S },
      commit: { config: S, ubus_rpc_session: S },
      apply: { rollback: 'boolean', timeout: 'number', ubus_rpc_session: S },
      confirm: { ubus_rpc_session: S },
      rollback: { ubus_rpc_session: S },
      reload_config: {},
    },
    async call(method, args, ctx): Promise<Reply> {
      const dir = join(root, 'etc/config');
      if (method === 'configs') {
        const names = existsSync(dir) ? readdirSync(dir).filter((n) => !n.startsWith('.')).sort() : [];
        return reply(UBUS.OK, { configs: names });
      }
      if (typeof args.config !== 'string') return reply(UBUS.INVALID_ARGUMENT);
      const config = args.config;
      if (method === 'get' || method === 'state' || method === 'changes') {
        if (!sessions.allowed(ctx.sid, 'uci', config, 'read')) return reply(UBUS.PERMISSION_DENIED);
        if (method === 'changes') return reply(UBUS.OK, { changes: stage(ctx.sid, config) });
        const all = load(config);
        if (!all) return reply(UBUS.NOT_FOUND);
        if (typeof args.section === 'string') {
          const hit = lookup(all, args.section);
          if (!hit) return reply(UBUS.NOT_FOUND);
          if (typeof args.option === 'string') {
            const v = hit.s.options[args.option];
            return v === undefined ? reply(UBUS.OK) : reply(UBUS.OK, { value: v });
          }
          return reply(UBUS.OK, { values: sectionValues(hit.name, hit.s) });
        }
        const values: Record<string, unknown> = {};
        all.forEach((x, i) => {
          if (typeof args.type === 'string' && x.s.type !== args.type) return;
          values[x.name] = sectionValues(x.name, x.s, i);
        });
        return reply(UBUS.OK, { values });
      }
      if (!sessions.allowed(ctx.sid, 'uci', config, 'write')) return reply(UBUS.PERMISSION_DENIED);
      if (method === 'revert') {
        staged.get(ctx.sid)?.delete(config);
        return reply(UBUS.OK);
      }
      if (method === 'set') {
        if (typeof args.section !== 'string' || !args.values || typeof args.values !== 'object') return reply(UBUS.INVALID_ARGUMENT);
        const all = load(config);
        const hit = all ? lookup(all, args.section) : undefined;
        if (!hit) return reply(UBUS.NOT_FOUND);
        for (const [k, v] of Object.entries(args.values as Record<string, unknown>)) {
          stage(ctx.sid, config).push(['set', hit.name, k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v)]);
        }
        return reply(UBUS.OK);
      }
      return reply(UBUS.NOT_SUPPORTED);
    },
  };
}
