/**
 * Glob patterns of trigger filters (branches, tags, file paths), as the CodePipeline user guide
 * documents them ("Working with glob patterns in syntax"; its rules are those of Java's
 * PathMatcher "glob" syntax). A pattern matches the whole value:
 *   *      zero or more characters within one name component (never `/`)
 *   **     zero or more characters, across `/`
 *   ?      one character other than `/`
 *   [abc]  one character of the set; [a-z] a range; [!abc] any other character but `/`. Inside
 *          the brackets `*`, `?` and `\` are themselves, `-` is itself first (or first after
 *          `!`) and last, and the character right after `[` never closes the set
 *   {a,b}  any of the sub-patterns; groups do not nest
 *   \x     the character x itself
 * Everything else is itself. `**` is exactly "any characters": `**\/README.md` needs a `/` before
 * README.md. Tether's own matcher (the app's) reads the same syntax; both are held to the shared
 * vectors in testdata/trigger-filter-globs.json.
 */

export class GlobSyntaxError extends Error {
  override name = "GlobSyntaxError";
}

/** `pattern` as an anchored regular expression; throws GlobSyntaxError for a malformed one. */
export function glob(pattern: string): RegExp {
  const fail = (why: string) => new GlobSyntaxError(`Invalid glob "${pattern}": ${why}.`);
  let out = "";
  let group = false;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.charAt(i++);
    switch (c) {
      case "\\": {
        if (i >= pattern.length) throw fail("nothing after the escape character");
        out += literal(pattern.charAt(i++));
        break;
      }
      case "*":
        if (pattern.charAt(i) === "*") {
          out += ".*";
          i++;
        } else out += "[^/]*";
        break;
      case "?":
        out += "[^/]";
        break;
      case "[": {
        // The character right after "[" is a member (or the "!"), never the closing "]".
        const close = pattern.indexOf("]", i + 1);
        if (close < 0) throw fail("[ without ]");
        const body = pattern.slice(i, close);
        const negate = body.startsWith("!");
        out += bracket(negate ? body.slice(1) : body, negate);
        i = close + 1;
        break;
      }
      case "{":
        if (group) throw fail("groups cannot be nested");
        group = true;
        out += "(?:";
        break;
      case "}":
        out += group ? ")" : literal(c);
        group = false;
        break;
      case ",":
        out += group ? "|" : ",";
        break;
      default:
        out += literal(c);
    }
  }
  if (group) throw fail("{ without }");
  return new RegExp(`^${out}$`);
}

/** A bracket expression's members (between `[` or `[!` and `]`) as a regular-expression class. */
function bracket(members: string, negate: boolean): string {
  let set = "";
  for (const [k, m] of [...members].entries()) {
    // A dash first or last is itself; between two members it makes a range.
    if (m === "-" && k > 0 && k < members.length - 1) set += "-";
    else set += /[\\\]^-]/.test(m) ? `\\${m}` : m;
  }
  return negate ? `[^/${set}]` : `[${set}]`;
}

function literal(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
