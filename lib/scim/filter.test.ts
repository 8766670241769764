import { describe, expect, it } from "vitest";
import { ScimError } from "./errors";
import type { Filter } from "./filter-ast";
import { MAX_FILTER_CLAUSES, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, parseFilter, parsePatchPath } from "./filter";

const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";

const eq = (attrPath: string, value: string | number | boolean | null): Filter => ({ op: "eq", attrPath, value });
const pr = (attrPath: string): Filter => ({ op: "pr", attrPath });
const and = (left: Filter, right: Filter): Filter => ({ op: "and", left, right });
const or = (left: Filter, right: Filter): Filter => ({ op: "or", left, right });
const not = (filter: Filter): Filter => ({ op: "not", filter });

function scimErrorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    return e as ScimError;
  }
  throw new Error("expected a ScimError");
}

describe("parseFilter: comparisons", () => {
  it.each(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"] as const)("parses %s", (op) => {
    expect(parseFilter(`userName ${op} "bjensen"`)).toEqual({ op, attrPath: "userName", value: "bjensen" });
  });

  it("parses pr", () => {
    expect(parseFilter("title pr")).toEqual(pr("title"));
  });

  it("accepts operators and keywords in any letter case", () => {
    expect(parseFilter('userName EQ "x"')).toEqual(eq("userName", "x"));
    expect(parseFilter('userName Eq "x"')).toEqual(eq("userName", "x"));
    expect(parseFilter("title PR")).toEqual(pr("title"));
    expect(parseFilter("a pr AND b pr Or NOT (c pr)")).toEqual(or(and(pr("a"), pr("b")), not(pr("c"))));
  });

  it("keeps the attribute path as written", () => {
    expect(parseFilter('name.familyName co "O\'Malley"')).toEqual({ op: "co", attrPath: "name.familyName", value: "O'Malley" });
    expect(parseFilter('EMAILS.VALUE eq "x"')).toEqual(eq("EMAILS.VALUE", "x"));
    expect(parseFilter('groups.$ref eq "x"')).toEqual(eq("groups.$ref", "x"));
  });
});

describe("parseFilter: logic", () => {
  it("gives and precedence over or", () => {
    expect(parseFilter("a eq 1 or b eq 2 and c eq 3")).toEqual(or(eq("a", 1), and(eq("b", 2), eq("c", 3))));
    expect(parseFilter("a eq 1 and b eq 2 or c eq 3")).toEqual(or(and(eq("a", 1), eq("b", 2)), eq("c", 3)));
  });

  it("is left-associative", () => {
    expect(parseFilter("a pr or b pr or c pr")).toEqual(or(or(pr("a"), pr("b")), pr("c")));
    expect(parseFilter("a pr and b pr and c pr")).toEqual(and(and(pr("a"), pr("b")), pr("c")));
  });

  it("parses not (…), binding tighter than and", () => {
    expect(parseFilter("not (a pr)")).toEqual(not(pr("a")));
    expect(parseFilter("not(a pr and b pr)")).toEqual(not(and(pr("a"), pr("b"))));
    expect(parseFilter("not (a pr) and b pr")).toEqual(and(not(pr("a")), pr("b")));
    expect(parseFilter("not (not (a pr))")).toEqual(not(not(pr("a"))));
  });

  it("parses parentheses", () => {
    expect(parseFilter("(a pr or b pr) and c pr")).toEqual(and(or(pr("a"), pr("b")), pr("c")));
    expect(parseFilter("((a pr))")).toEqual(pr("a"));
    expect(parseFilter('userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")')).toEqual(
      and(
        eq("userType", "Employee"),
        or({ op: "co", attrPath: "emails", value: "example.com" }, { op: "co", attrPath: "emails.value", value: "example.org" }),
      ),
    );
  });
});

describe("parseFilter: value paths", () => {
  it("parses a value filter in brackets", () => {
    expect(parseFilter('emails[type eq "work" and value co "@acme"]')).toEqual({
      op: "valuePath",
      attrPath: "emails",
      filter: and(eq("type", "work"), { op: "co", attrPath: "value", value: "@acme" }),
    });
  });

  it('parses Entra\'s emails[type eq "work"].value eq "x" as one element condition', () => {
    expect(parseFilter('emails[type eq "work"].value eq "x@acme.com"')).toEqual({
      op: "valuePath",
      attrPath: "emails",
      filter: and(eq("type", "work"), eq("value", "x@acme.com")),
    });
    expect(parseFilter('emails[type eq "work"].value pr')).toEqual({
      op: "valuePath",
      attrPath: "emails",
      filter: and(eq("type", "work"), pr("value")),
    });
  });

  it("allows not, or and parentheses inside brackets", () => {
    expect(parseFilter('emails[not (type eq "work") or (primary eq true)]')).toEqual({
      op: "valuePath",
      attrPath: "emails",
      filter: or(not(eq("type", "work")), eq("primary", true)),
    });
  });

  it("combines value paths with other conditions", () => {
    expect(parseFilter('userType eq "Employee" and emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp"]')).toEqual(
      or(
        and(eq("userType", "Employee"), {
          op: "valuePath",
          attrPath: "emails",
          filter: and(eq("type", "work"), { op: "co", attrPath: "value", value: "@example.com" }),
        }),
        { op: "valuePath", attrPath: "ims", filter: eq("type", "xmpp") },
      ),
    );
  });
});

describe("parseFilter: URN-qualified names", () => {
  it("tokenises URNs with ':' and '.'", () => {
    expect(parseFilter(`${CORE}:userName eq "x"`)).toEqual(eq(`${CORE}:userName`, "x"));
    expect(parseFilter(`${ENT}:employeeNumber eq "701984"`)).toEqual(eq(`${ENT}:employeeNumber`, "701984"));
    expect(parseFilter(`${ENT}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`)).toEqual(
      eq(`${ENT}:manager.value`, "26118915-6090-4610-87e4-49d8ca9f808d"),
    );
    expect(parseFilter(`${CORE}:emails[type eq "work"]`)).toEqual({
      op: "valuePath",
      attrPath: `${CORE}:emails`,
      filter: eq("type", "work"),
    });
    expect(parseFilter(`(${ENT}:department pr)`)).toEqual(pr(`${ENT}:department`));
  });
});

describe("parseFilter: values", () => {
  it("decodes JSON string escapes", () => {
    expect(parseFilter('displayName eq "a\\"b"')).toEqual(eq("displayName", 'a"b'));
    expect(parseFilter('displayName eq "\\u00e9t\\u00C9"')).toEqual(eq("displayName", "étÉ"));
    expect(parseFilter('displayName eq "back\\\\slash\\/\\n\\t"')).toEqual(eq("displayName", "back\\slash/\n\t"));
    expect(parseFilter('displayName eq "José Ñ"')).toEqual(eq("displayName", "José Ñ"));
    expect(parseFilter('displayName eq ""')).toEqual(eq("displayName", ""));
  });

  it("keeps keywords, brackets and parentheses inside strings", () => {
    expect(parseFilter('displayName eq "a and b or not (c) [d]"')).toEqual(eq("displayName", "a and b or not (c) [d]"));
  });

  it("parses numbers", () => {
    expect(parseFilter("x eq 42")).toEqual(eq("x", 42));
    expect(parseFilter("x gt -3")).toEqual({ op: "gt", attrPath: "x", value: -3 });
    expect(parseFilter("x le 1.5")).toEqual({ op: "le", attrPath: "x", value: 1.5 });
    expect(parseFilter("x eq 1e3")).toEqual(eq("x", 1000));
    expect(parseFilter("x eq 0")).toEqual(eq("x", 0));
  });

  it("keeps numbers that would lose digits, or have leading zeros, as strings", () => {
    expect(parseFilter("id eq 010101001010101011001010101011")).toEqual(eq("id", "010101001010101011001010101011"));
    expect(parseFilter("id eq 123456789012345678901234")).toEqual(eq("id", "123456789012345678901234"));
    expect(parseFilter("employeeNumber eq 00123")).toEqual(eq("employeeNumber", "00123"));
  });

  it("parses true, false and null in any case", () => {
    expect(parseFilter("active eq true")).toEqual(eq("active", true));
    expect(parseFilter("active eq FALSE")).toEqual(eq("active", false));
    expect(parseFilter("active ne True")).toEqual({ op: "ne", attrPath: "active", value: true });
    expect(parseFilter("title eq null")).toEqual(eq("title", null));
    expect(parseFilter("title ne NULL")).toEqual({ op: "ne", attrPath: "title", value: null });
    expect(parseFilter('active eq "true"')).toEqual(eq("active", "true"));
  });

  it("accepts unquoted values (older Entra flows)", () => {
    expect(parseFilter("id eq 123 and manager eq 456")).toEqual(and(eq("id", 123), eq("manager", 456)));
    expect(parseFilter("userName eq jane@acme.com")).toEqual(eq("userName", "jane@acme.com"));
    expect(parseFilter("meta.lastModified gt 2011-05-13T04:42:34Z")).toEqual({
      op: "gt",
      attrPath: "meta.lastModified",
      value: "2011-05-13T04:42:34Z",
    });
    expect(parseFilter("(userName eq jane@acme.com)or(externalId eq abc-1)")).toEqual(
      or(eq("userName", "jane@acme.com"), eq("externalId", "abc-1")),
    );
    expect(parseFilter("members[value eq 2819c223]")).toEqual({ op: "valuePath", attrPath: "members", filter: eq("value", "2819c223") });
  });
});

describe("parseFilter: whitespace", () => {
  it.each([
    ['userName   eq    "x"', eq("userName", "x")],
    ['\t userName\neq\r\n"x"  ', eq("userName", "x")],
    ['userName eq"x"', eq("userName", "x")],
    ['(userName eq "a")or(userName eq "b")', or(eq("userName", "a"), eq("userName", "b"))],
    ["not(a pr)", not(pr("a"))],
    ["( a pr )", pr("a")],
  ])("parses %j", (text, expected) => {
    expect(parseFilter(text)).toEqual(expected);
  });

  it("needs no whitespace around brackets", () => {
    const expected: Filter = { op: "valuePath", attrPath: "emails", filter: eq("type", "work") };
    expect(parseFilter('emails[type eq "work"]')).toEqual(expected);
    expect(parseFilter('emails [ type eq "work" ] ')).toEqual(expected);
    expect(parseFilter('emails[type eq "work"]and title pr')).toEqual(and(expected, pr("title")));
  });
});

describe("parseFilter: malformed input", () => {
  const deep = (n: number) => "(".repeat(n) + "a pr" + ")".repeat(n);
  it.each([
    ["", /empty/],
    ["   ", /empty/],
    ["userName", /expected an operator/],
    ["userName eq", /position 12: expected a value after "eq"/],
    ['userName foo "x"', /Unexpected "foo" at position 10: expected an operator \(eq, ne, co, sw, ew, gt, ge, lt, le, pr\)/],
    ['userName eq "x" and', /end of filter.*expected an attribute name/],
    ['and userName eq "x"', /Unexpected "and" at position 1/],
    ['userName eq "x" userName eq "y"', /position 17: expected "and", "or" or the end/],
    ['(userName eq "x"', /expected "and", "or" or "\)" to close the "\(" at position 1/],
    ['((userName eq "x")', /to close the "\(" at position 1/],
    ['userName eq "x")', /position 16: there is no matching "\("/],
    ['userName pr "x"', /"pr" \(present\) takes no value/],
    ["userName pr true", /"pr" \(present\) takes no value/],
    ["userName pr 12", /"pr" \(present\) takes no value/],
    ['userName eq "unterminated', /Unterminated string starting at position 13/],
    ['userName eq "bad\\escape"', /Invalid escape sequence "\\e"/],
    ['userName eq "\\u12"', /Invalid escape sequence "\\u"/],
    ['emails[type eq "work"', /close the "\[" at position 7/],
    ['emails[type eq "work"]]', /Unexpected "\]"/],
    ['emails[type[value eq "x"] eq "y"]', /cannot be nested/],
    ['not userName eq "x"', /expected "\(" after "not"/],
    ["not ()", /Unexpected "\)".*expected an attribute name/],
    ["()", /expected an attribute name/],
    ["userName eq ()", /expected a value after "eq"/],
    ["userName eq or", /expected a value after "eq"/],
    ['"userName" eq "x"', /Unexpected value "userName" at position 1: expected an attribute name/],
    ['123 eq "x"', /Invalid attribute name "123"/],
    ['user!name eq "x"', /Invalid attribute name "user!name"/],
    ["userName gt true", /"gt" cannot compare with a boolean/],
    ["userName co null", /"co" cannot compare with null/],
    ['emails[type eq "work"].', /Invalid sub-attribute/],
    ['emails[type eq "work"].val!ue eq "x"', /Invalid sub-attribute/],
    ['[type eq "x"]', /expected an attribute name/],
    ['userName eq "x" ]', /Unexpected "\]"/],
    ['userName eq "x" ; drop table scim_users', /Unexpected ";"/],
    [deep(MAX_FILTER_DEPTH + 1), /nested too deeply/],
    ["not (".repeat(MAX_FILTER_DEPTH + 1) + "a pr" + ")".repeat(MAX_FILTER_DEPTH + 1), /nested too deeply/],
    [`userName eq "${"x".repeat(MAX_FILTER_LENGTH)}"`, /too long/],
  ])("rejects %j", (text, detail) => {
    const err = scimErrorOf(() => parseFilter(text));
    expect(err.status).toBe(400);
    expect(err.scimType).toBe("invalidFilter");
    expect(err.detail).toMatch(detail);
  });

  it("accepts the limits themselves", () => {
    expect(parseFilter("(".repeat(MAX_FILTER_DEPTH) + "a pr" + ")".repeat(MAX_FILTER_DEPTH))).toEqual(pr("a"));
    const longest = `userName eq "${"x".repeat(MAX_FILTER_LENGTH - 14)}"`;
    expect(longest).toHaveLength(MAX_FILTER_LENGTH);
    expect(parseFilter(longest)).toMatchObject({ op: "eq" });
    const many = Array.from({ length: MAX_FILTER_CLAUSES }, (_, i) => `a${i} pr`).join(" and ");
    expect(parseFilter(many).op).toBe("and");
  });

  it("refuses more comparisons than MAX_FILTER_CLAUSES with tooMany, also inside value filters", () => {
    const chain = (n: number) => Array.from({ length: n }, (_, i) => `a${i} pr`).join(" or ");
    for (const filter of [chain(MAX_FILTER_CLAUSES + 1), `emails[${chain(MAX_FILTER_CLAUSES)}] and x pr`]) {
      const e = scimErrorOf(() => parseFilter(filter));
      expect(e.scimType).toBe("tooMany");
      expect(e.detail).toBe(`The filter has more than ${MAX_FILTER_CLAUSES} comparisons: split the query.`);
    }
  });
});

describe("parsePatchPath", () => {
  it.each([
    ["members", { attrPath: "members" }],
    ["  members ", { attrPath: "members" }],
    ["name.givenName", { attrPath: "name.givenName" }],
    ['members[value eq "abc"]', { attrPath: "members", filter: eq("value", "abc") }],
    ['emails[type eq "work"].value', { attrPath: "emails", filter: eq("type", "work"), subAttr: "value" }],
    [
      'emails[type eq "work" and primary eq true].display',
      { attrPath: "emails", filter: and(eq("type", "work"), eq("primary", true)), subAttr: "display" },
    ],
    [`${ENT}:manager`, { attrPath: `${ENT}:manager` }],
    [`${ENT}:manager.value`, { attrPath: `${ENT}:manager.value` }],
    [`${ENT}:employeeNumber`, { attrPath: `${ENT}:employeeNumber` }],
    [`${CORE}:emails[type eq "work"]`, { attrPath: `${CORE}:emails`, filter: eq("type", "work") }],
  ])("parses %j", (text, expected) => {
    expect(parsePatchPath(text)).toEqual(expected);
  });

  it.each([
    "",
    "  ",
    "members[",
    'members[value eq "a"',
    "members]",
    'members[value eq "a"] x',
    "members[value]",
    '[value eq "a"]',
    'emails[type eq "work"].',
    "a b",
    "na!me",
    'members[value eq "a"][type eq "b"]',
  ])("rejects %j with invalidPath", (text) => {
    const err = scimErrorOf(() => parsePatchPath(text));
    expect(err.scimType).toBe("invalidPath");
    expect(err.detail.length).toBeGreaterThan(10);
  });
});
