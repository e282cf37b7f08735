/** fnmatch(3) with FNM_NOESCAPE and no FNM_PATHNAME, as rpcd matches ACL patterns. */
const cache = new Map<string, RegExp>();

export function fnmatch(pattern: string, text: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    let src = '^';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i] as string;
      if (c === '*') src += '[\\s\\S]*';
      else if (c === '?') src += '[\\s\\S]';
      else if (c === '[') {
        const end = pattern.indexOf(']', i + 2);
        if (end < 0) src += '\\[';
        else {
          let cls = pattern.slice(i + 1, end);
          if (cls.startsWith('!')) cls = '^' + cls.slice(1);
          src += `[${cls.replace(/\\/g, '\\\\')}]`;
          i = end;
        }
      } else src += c.replace(/[.+^${}()|\\\]\/]/g, '\\$&');
    }
    re = new RegExp(src + '$');
    cache.set(pattern, re);
  }
  return re.test(text);
}
