/**
 * Glob patterns of CodePipeline V2 trigger filters, as AWS documents them
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/syntax-glob.html, whose rules are
 * those of Java's PathMatcher "glob" syntax):
 *   *      zero or more characters of a name component, within directory boundaries
 *   **     zero or more characters, crossing directory boundaries
 *   ?      one character of a name component
 *   [abc]  one character of the set; [a-z] a range; [!abc] any other; in brackets * ? \ are
 *          themselves, and - is itself when first (or first after !)
 *   {a,b}  any of the sub-patterns (groups do not nest)
 *   \x     the character x itself
 * Like Java, `**` is exactly "any characters", so `docs/**` matches `docs/a/b.md` but
 * `**\/README.md` needs a slash before README.md (it does not match a README.md at the root).
 */

export class GlobError extends Error {
  override name = "GlobError";
}

const REGEX_SPECIAL = /[.+^$()|{}[\]\\/]/;

export function globToRegExp(glob: string): RegExp {
  let re = "";
  let inGroup = false;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "\\") {
      const next = glob[i + 1];
      if (next === undefined) throw new GlobError(`"${glob}": nothing after the escape character`);
      re += REGEX_SPECIAL.test(next) || /[*?]/.test(next) ? `\\${next}` : next;
      i++;
    } else if (c === "*") {
      if (glob[i + 1] === "*") {
        re += ".*";
        i++;
      } else re += "[^/]*";
    } else if (c === "?") {
      re += "[^/]";
    } else if (c === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close === -1) throw new GlobError(`"${glob}": [ without ]`);
      let body = glob.slice(i + 1, close);
      let negate = false;
      if (body.startsWith("!")) {
        negate = true;
        body = body.slice(1);
      }
      // Inside brackets every character is literal except a range dash.
      const cls = body.replace(/[\\\]^]/g, (x) => `\\${x}`).replace(/^-/, "\\-");
      re += negate ? `[^/${cls}]` : `[${cls}]`;
      i = close;
    } else if (c === "{") {
      if (inGroup) throw new GlobError(`"${glob}": groups cannot be nested`);
      inGroup = true;
      re += "(?:";
    } else if (c === "}" && inGroup) {
      inGroup = false;
      re += ")";
    } else if (c === "," && inGroup) {
      re += "|";
    } else {
      re += REGEX_SPECIAL.test(c) ? `\\${c}` : c;
    }
  }
  if (inGroup) throw new GlobError(`"${glob}": { without }`);
  return new RegExp(`^${re}$`);
}

const cache = new Map<string, RegExp>();

export function globMatch(glob: string, value: string): boolean {
  let re = cache.get(glob);
  if (!re) {
    re = globToRegExp(glob);
    if (cache.size > 5000) cache.clear();
    cache.set(glob, re);
  }
  return re.test(value);
}
