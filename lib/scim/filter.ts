/**
 * SCIM filter parsing (RFC 7644 §3.4.2.2) into the AST of filter-ast.ts; filter-match.ts evaluates it in memory.
 *
 * The grammar is the RFC's plus the leniency real clients need: operators and keywords in any letter case, unquoted
 * values (`id eq 123`, `userName eq jane@acme.com`, `meta.lastModified gt 2011-05-13T04:42:34Z`), any amount of
 * whitespace, and Entra's `emails[type eq "work"].value eq "x"` form. Errors are `invalidFilter` (or `invalidPath`
 * for PATCH paths) with a detail that says where the problem is (1-based position) and what was expected.
 */
import { invalidFilter, invalidPath, tooMany, type ScimError } from "./errors";
import type { CompareOp, Filter, FilterValue, PatchPath } from "./filter-ast";
import { lex, type Fail, type Token } from "./filter-lex";

export const MAX_FILTER_LENGTH = 10_000;
export const MAX_FILTER_DEPTH = 50;
/** Comparisons (attribute expressions) in one filter: each becomes SQL the database evaluates per row. */
export const MAX_FILTER_CLAUSES = 100;

const COMPARE_OPS: readonly CompareOp[] = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"];
const OPERATOR_LIST = "eq, ne, co, sw, ew, gt, ge, lt, le, pr";

const NAME = String.raw`(?:\$ref|[A-Za-z][A-Za-z0-9_-]*)`;
const SIMPLE_PATH = new RegExp(`^${NAME}(?:\\.${NAME})?$`);
const URN_PATH = new RegExp(`^urn:[A-Za-z0-9][A-Za-z0-9.:_-]*:${NAME}(?:\\.${NAME})?$`, "i");
const SUB_ATTR = new RegExp(`^${NAME}$`);
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export function isAttrPath(text: string): boolean {
  return SIMPLE_PATH.test(text) || URN_PATH.test(text);
}

// ─── Parser ──────────────────────────────────────────────────────────────────────────────────────────────────

class Parser {
  private i = 0;
  private depth = 0;
  private clauses = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
    private readonly fail: Fail,
    private readonly noun = "filter",
  ) {}

  peek(): Token {
    return this.tokens[this.i]!;
  }
  next(): Token {
    const tok = this.tokens[this.i]!;
    if (tok.t !== "eof") this.i++;
    return tok;
  }
  isWord(tok: Token, word: string): boolean {
    return tok.t === "word" && tok.v.toLowerCase() === word;
  }
  describe(tok: Token): string {
    if (tok.t === "eof") return `end of ${this.noun}`;
    const raw = this.text.slice(tok.pos, tok.end);
    const short = raw.length > 40 ? raw.slice(0, 40) + "…" : raw;
    return tok.t === "str" ? `value ${short}` : JSON.stringify(short);
  }
  unexpected(tok: Token, expected: string): ScimError {
    return this.fail(`Unexpected ${this.describe(tok)} at position ${tok.pos + 1}: expected ${expected}`);
  }
  enter(tok: Token) {
    if (++this.depth > MAX_FILTER_DEPTH) {
      throw this.fail(
        `The filter is nested too deeply at position ${tok.pos + 1} (at most ${MAX_FILTER_DEPTH} levels of parentheses and brackets)`,
      );
    }
  }
  close(t: ")" | "]", open: Token) {
    const tok = this.next();
    if (tok.t !== t)
      throw this.unexpected(tok, `"and", "or" or "${t}" to close the "${open.t === "[" ? "[" : "("}" at position ${open.pos + 1}`);
    this.depth--;
  }

  /** The whole input as one filter. */
  parseAll(): Filter {
    const f = this.parseOr(false);
    this.expectEnd();
    return f;
  }
  expectEnd() {
    const tok = this.peek();
    if (tok.t === ")") throw this.fail(`Unexpected ")" at position ${tok.pos + 1}: there is no matching "("`);
    if (tok.t !== "eof") throw this.unexpected(tok, `"and", "or" or the end of the filter`);
  }

  parseOr(inBracket: boolean): Filter {
    let left = this.parseAnd(inBracket);
    while (this.isWord(this.peek(), "or")) {
      this.next();
      left = { op: "or", left, right: this.parseAnd(inBracket) };
    }
    return left;
  }

  parseAnd(inBracket: boolean): Filter {
    let left = this.parseUnary(inBracket);
    while (this.isWord(this.peek(), "and")) {
      this.next();
      left = { op: "and", left, right: this.parseUnary(inBracket) };
    }
    return left;
  }

  parseUnary(inBracket: boolean): Filter {
    const tok = this.peek();
    if (tok.t === "(") {
      this.next();
      this.enter(tok);
      const f = this.parseOr(inBracket);
      this.close(")", tok);
      return f;
    }
    if (this.isWord(tok, "not")) {
      this.next();
      const open = this.next();
      if (open.t !== "(") throw this.unexpected(open, `"(" after "not" (write not (…))`);
      this.enter(open);
      const f = this.parseOr(inBracket);
      this.close(")", open);
      return { op: "not", filter: f };
    }
    if (tok.t === "word" && !this.isWord(tok, "and") && !this.isWord(tok, "or")) return this.parseAttrExpr(inBracket);
    throw this.unexpected(tok, `an attribute name, "not" or "("`);
  }

  parseAttrExpr(inBracket: boolean): Filter {
    const tok = this.next();
    const attrPath = tok.t === "word" ? tok.v : "";
    if (!isAttrPath(attrPath)) {
      throw this.fail(
        `Invalid attribute name ${this.describe(tok)} at position ${tok.pos + 1}: expected a name like userName, name.familyName or a URN-qualified name`,
      );
    }
    const open = this.peek();
    if (open.t !== "[") return this.parseComparison(attrPath);
    if (inBracket) throw this.fail(`Unexpected "[" at position ${open.pos + 1}: value filters cannot be nested`);
    this.next();
    this.enter(open);
    const filter = this.parseOr(true);
    this.close("]", open);
    const after = this.peek();
    if (after.t === "word" && after.v.startsWith(".")) {
      // Entra's `emails[type eq "work"].value eq "x"`: both conditions hold on the same element.
      this.next();
      const sub = after.v.slice(1);
      if (!SUB_ATTR.test(sub))
        throw this.fail(
          `Invalid sub-attribute ${this.describe(after)} at position ${after.pos + 1}: expected a name like .value after "]"`,
        );
      return { op: "valuePath", attrPath, filter: { op: "and", left: filter, right: this.parseComparison(sub) } };
    }
    return { op: "valuePath", attrPath, filter };
  }

  parseComparison(attrPath: string): Filter {
    if (++this.clauses > MAX_FILTER_CLAUSES)
      throw tooMany(`The ${this.noun} has more than ${MAX_FILTER_CLAUSES} comparisons: split the query.`);
    const opTok = this.next();
    const op = opTok.t === "word" ? opTok.v.toLowerCase() : "";
    if (op === "pr") {
      const after = this.peek();
      if (after.t === "str" || (after.t === "word" && isLiteralWord(after.v))) {
        throw this.fail(`Unexpected ${this.describe(after)} at position ${after.pos + 1}: "pr" (present) takes no value`);
      }
      return { op: "pr", attrPath };
    }
    if (!(COMPARE_OPS as readonly string[]).includes(op)) throw this.unexpected(opTok, `an operator (${OPERATOR_LIST})`);
    const compareOp = op as CompareOp;
    const valTok = this.next();
    let value: FilterValue;
    if (valTok.t === "str") value = valTok.v;
    else if (valTok.t === "word" && !this.isWord(valTok, "and") && !this.isWord(valTok, "or")) value = wordValue(valTok.v);
    else throw this.unexpected(valTok, `a value after "${op}" (a "string", a number, true, false or null)`);
    if (value === null && compareOp !== "eq" && compareOp !== "ne") {
      throw this.fail(`"${op}" cannot compare with null at position ${valTok.pos + 1}: only eq and ne accept null`);
    }
    if (typeof value === "boolean" && compareOp !== "eq" && compareOp !== "ne") {
      throw this.fail(`"${op}" cannot compare with a boolean at position ${valTok.pos + 1}: only eq and ne accept true or false`);
    }
    return { op: compareOp, attrPath, value };
  }
}

function isLiteralWord(word: string): boolean {
  return ["true", "false", "null"].includes(word.toLowerCase()) || JSON_NUMBER.test(word);
}

/** A bare (unquoted) value: true/false/null, a number, else a string as written. */
function wordValue(word: string): FilterValue {
  const lower = word.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  if (lower === "null") return null;
  if (JSON_NUMBER.test(word)) {
    const n = Number(word);
    // An integer too long for a double (an id, say) stays a string so that no digit is lost.
    if (Number.isFinite(n) && (!/^-?\d+$/.test(word) || Number.isSafeInteger(n))) return n;
  }
  return word;
}

function checkLength(text: string, fail: Fail, what: string) {
  if (text.length > MAX_FILTER_LENGTH) throw fail(`The ${what} is too long (${text.length} characters; at most ${MAX_FILTER_LENGTH})`);
}

export function parseFilter(text: string): Filter {
  if (typeof text !== "string") throw invalidFilter("The filter must be a string");
  checkLength(text, invalidFilter, "filter");
  if (text.trim() === "") throw invalidFilter("The filter is empty");
  return new Parser(text, lex(text, invalidFilter), invalidFilter).parseAll();
}

/** A PATCH path: `attrPath`, `attrPath[valFilter]` or `attrPath[valFilter].subAttr`; attrPath is kept as written. */
export function parsePatchPath(text: string): PatchPath {
  if (typeof text !== "string") throw invalidPath("The path must be a string");
  checkLength(text, invalidPath, "path");
  if (text.trim() === "") throw invalidPath("The path is empty");
  const tokens = lex(text, (d) => invalidPath(`Invalid path: ${d}`));
  const p = new Parser(
    text,
    tokens,
    (d) => invalidPath(`Invalid path "${text.length > 200 ? text.slice(0, 200) + "…" : text}": ${d}`),
    "path",
  );
  const first = p.next();
  if (first.t !== "word" || !isAttrPath(first.v)) {
    throw p.unexpected(first, "an attribute name like emails, name.givenName or a URN-qualified name");
  }
  const result: PatchPath = { attrPath: first.v };
  const open = p.peek();
  if (open.t === "[") {
    p.next();
    p.enter(open);
    result.filter = p.parseOr(true);
    p.close("]", open);
    const after = p.peek();
    if (after.t === "word" && after.v.startsWith(".")) {
      p.next();
      const sub = after.v.slice(1);
      if (!SUB_ATTR.test(sub)) throw p.unexpected(after, `a sub-attribute name like .value after "]"`);
      result.subAttr = sub;
    }
  }
  const end = p.peek();
  if (end.t !== "eof") throw p.unexpected(end, open.t === "[" ? "the end of the path" : `"[" or the end of the path`);
  return result;
}
