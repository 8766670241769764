/** The SCIM filter's tokens (filter.ts parses them): parentheses, brackets, JSON strings with their escapes, words. */
import type { ScimError } from "./errors";

export type Token =
  | { t: "(" | ")" | "[" | "]" | "eof"; pos: number; end: number }
  | { t: "str"; v: string; pos: number; end: number }
  | { t: "word"; v: string; pos: number; end: number };

export type Fail = (detail: string) => ScimError;

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

export function lex(text: string, fail: Fail): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")" || c === "[" || c === "]") {
      tokens.push({ t: c, pos: i, end: i + 1 });
      i++;
    } else if (c === '"') {
      const start = i;
      let v = "";
      i++;
      for (;;) {
        if (i >= text.length) throw fail(`Unterminated string starting at position ${start + 1}: a closing '"' is missing`);
        const d = text[i]!;
        if (d === '"') break;
        if (d !== "\\") {
          v += d;
          i++;
          continue;
        }
        const e = text[i + 1];
        if (e !== undefined && e in SIMPLE_ESCAPES) {
          v += SIMPLE_ESCAPES[e];
          i += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          v += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          throw fail(`Invalid escape sequence "\\${e ?? ""}" in the string at position ${start + 1} (use \\", \\\\ or \\uXXXX)`);
        }
      }
      i++;
      tokens.push({ t: "str", v, pos: start, end: i });
    } else {
      const start = i;
      while (i < text.length && !/[\s()[\]"]/.test(text[i]!)) i++;
      tokens.push({ t: "word", v: text.slice(start, i), pos: start, end: i });
    }
  }
  tokens.push({ t: "eof", pos: text.length, end: text.length });
  return tokens;
}
