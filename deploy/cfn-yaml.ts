/**
 * A reader for the YAML this folder's CloudFormation templates are written in (for the tests): block
 * maps and lists by indentation, `- ` items (scalars or maps), `key: value` scalars (plain, "double"
 * or 'single' quoted, numbers, booleans), `>` folded blocks, `[a, b]` flow lists of scalars, and the
 * short intrinsics `!Ref x`, `!Sub "…"`, `!GetAtt a.b` as their long forms. Anything else — anchors,
 * other tags, flow maps, multi-document files — throws, naming the line, so a template written
 * outside this subset fails its test instead of being misread.
 */

export type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

interface Line {
  n: number;
  indent: number;
  text: string;
}

function stripComment(s: string): string {
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || s[i - 1] === " ")) return s.slice(0, i).trimEnd();
  }
  return s.trimEnd();
}

function scalar(raw: string, n: number): Yaml {
  const s = raw.trim();
  if (s.startsWith("!Ref ")) return { Ref: s.slice(5).trim() };
  if (s.startsWith("!Sub ")) return { "Fn::Sub": scalar(s.slice(5), n) as string };
  if (s.startsWith("!GetAtt ")) return { "Fn::GetAtt": s.slice(8).trim().split(".") };
  if (s.startsWith("!") || s.startsWith("&") || s.startsWith("*") || s.startsWith("{") || s.startsWith("|")) throw new Error(`line ${n}: not in the supported YAML subset: ${s}`);
  if (s.startsWith("[")) {
    if (!s.endsWith("]")) throw new Error(`line ${n}: unterminated flow list`);
    const inner = s.slice(1, -1).trim();
    return inner ? inner.split(",").map((x) => scalar(x, n)) : [];
  }
  if (s.startsWith('"')) return JSON.parse(s) as string;
  if (s.startsWith("'")) return s.slice(1, -1).replace(/''/g, "'");
  if (s === "true" || s === "false") return s === "true";
  if (s === "null" || s === "~" || s === "") return null;
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  return s;
}

export function parseCfnYaml(source: string): Yaml {
  const lines: Line[] = [];
  source.split("\n").forEach((raw, i) => {
    if (raw.includes("\t")) throw new Error(`line ${i + 1}: tabs are not YAML indentation`);
    const text = stripComment(raw);
    if (text.trim() === "" || text.trim() === "---") return;
    lines.push({ n: i + 1, indent: text.length - text.trimStart().length, text: text.trim() });
  });
  let pos = 0;

  function folded(parentIndent: number): string {
    const parts: string[] = [];
    while (pos < lines.length && (lines[pos] as Line).indent > parentIndent) parts.push((lines[pos++] as Line).text);
    return `${parts.join(" ")}\n`;
  }

  function block(indent: number): Yaml {
    const first = lines[pos];
    if (!first) return null;
    return first.text.startsWith("- ") || first.text === "-" ? list(indent) : map(indent);
  }

  function value(rest: string, indent: number, n: number): Yaml {
    if (rest === ">" || rest === ">-") return folded(indent);
    if (rest === "") {
      const next = lines[pos];
      if (!next || next.indent <= indent) return null;
      return block(next.indent);
    }
    return scalar(rest, n);
  }

  function map(indent: number, into: Record<string, Yaml> = {}): Record<string, Yaml> {
    while (pos < lines.length) {
      const line = lines[pos] as Line;
      if (line.indent < indent) break;
      if (line.indent > indent) throw new Error(`line ${line.n}: unexpected indentation`);
      const m = /^([A-Za-z0-9_:.-]+|"[^"]+"):(?:\s+(.*))?$/.exec(line.text);
      if (!m) throw new Error(`line ${line.n}: expected "key: value"`);
      const key = (m[1] as string).replace(/^"|"$/g, "");
      if (key in into) throw new Error(`line ${line.n}: duplicate key ${key}`);
      pos++;
      into[key] = value((m[2] ?? "").trim(), indent, line.n);
    }
    return into;
  }

  function list(indent: number): Yaml[] {
    const out: Yaml[] = [];
    while (pos < lines.length) {
      const line = lines[pos] as Line;
      if (line.indent < indent || !(line.text.startsWith("- ") || line.text === "-")) break;
      if (line.indent > indent) throw new Error(`line ${line.n}: unexpected indentation`);
      const rest = line.text.slice(1).trim();
      if (/^[A-Za-z0-9_:.-]+:(\s|$)/.test(rest)) {
        // "- key: value": a map whose first key sits after the dash; the others align with it.
        const itemIndent = indent + (line.text.length - rest.length);
        lines[pos] = { n: line.n, indent: itemIndent, text: rest };
        out.push(map(itemIndent));
      } else {
        pos++;
        out.push(value(rest, indent, line.n));
      }
    }
    return out;
  }

  const doc = block(0);
  if (pos < lines.length) throw new Error(`line ${(lines[pos] as Line).n}: unexpected content`);
  return doc;
}
