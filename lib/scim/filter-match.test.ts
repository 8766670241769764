import { describe, expect, it } from "vitest";
import { parseFilter } from "./filter";
import { matchesFilter } from "./filter-match";

const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

describe("matchesFilter", () => {
  const work = { type: "work", value: "Jane@Acme.com", primary: true };
  const home = { type: "home", value: "jane@home.example" };
  const m = (text: string, el: unknown) => matchesFilter(parseFilter(text), el);

  it("compares strings and attribute names case-insensitively", () => {
    expect(m('type eq "WORK"', work)).toBe(true);
    expect(m('TYPE eq "work"', work)).toBe(true);
    expect(m('value eq "jane@acme.com"', work)).toBe(true);
    expect(m('type eq "work"', { Type: "Work" })).toBe(true);
    expect(m('type eq "work"', home)).toBe(false);
  });

  it("compares case-sensitively where told", () => {
    const filter = parseFilter('value eq "jane@acme.com"');
    expect(matchesFilter(filter, work, { caseExact: (p) => p === "value" })).toBe(false);
    expect(matchesFilter(parseFilter('value eq "Jane@Acme.com"'), work, { caseExact: () => true })).toBe(true);
  });

  it("matches primary true/false, also when sent as strings", () => {
    expect(m("primary eq true", work)).toBe(true);
    expect(m("primary eq false", work)).toBe(false);
    expect(m('primary eq "True"', work)).toBe(true);
    expect(m("primary eq true", { ...work, primary: "True" })).toBe(true);
    expect(m("primary eq false", { primary: false })).toBe(true);
    expect(m("primary ne true", home)).toBe(true);
  });

  it("evaluates and, or and not inside value filters", () => {
    expect(m('type eq "work" and value co "@acme"', work)).toBe(true);
    expect(m('type eq "work" and value co "@acme"', home)).toBe(false);
    expect(m('type eq "home" or primary eq true', work)).toBe(true);
    expect(m('not (type eq "work")', home)).toBe(true);
    expect(m('not (type eq "work") and (value ew ".example" or value sw "x")', home)).toBe(true);
  });

  it("treats missing attributes as absent", () => {
    expect(m('display eq "x"', work)).toBe(false);
    expect(m('display ne "x"', work)).toBe(true);
    expect(m("display pr", work)).toBe(false);
    expect(m("display eq null", work)).toBe(true);
    expect(m("value ne null", work)).toBe(true);
    expect(m("display pr", { display: "" })).toBe(false);
    expect(m("display pr", { display: null })).toBe(false);
    expect(m('value eq "x"', null)).toBe(false);
  });

  it("supports co, sw, ew, gt, ge, lt and le", () => {
    expect(m('value co "ACME"', work)).toBe(true);
    expect(m('value sw "jane@"', work)).toBe(true);
    expect(m('value ew ".COM"', work)).toBe(true);
    expect(m('value ew ".org"', work)).toBe(false);
    expect(m('value gt "a"', work)).toBe(true);
    expect(m('value lt "a"', work)).toBe(false);
    expect(m("n ge 3", { n: 3 })).toBe(true);
    expect(m("n lt 3", { n: 3 })).toBe(false);
    expect(m("n gt 10", { n: 9 })).toBe(false);
    expect(m('when gt "2011-05-13T04:42:34Z"', { when: "2011-05-13T04:50:00Z" })).toBe(true);
    // Chronological, not textual: 05:00+01:00 is 04:00Z.
    expect(m('when gt "2011-05-13T04:42:34Z"', { when: "2011-05-13T05:00:00+01:00" })).toBe(false);
  });

  it("compares numbers with strings by value", () => {
    expect(m("value eq 42", { value: "42" })).toBe(true);
    expect(m('value eq "42"', { value: 42 })).toBe(true);
    expect(m("value eq 42", { value: "042x" })).toBe(false);
    expect(m("value co 23", { value: "1234" })).toBe(true);
  });

  it("treats a simple element as its own value", () => {
    expect(m('value eq "ADMIN"', "admin")).toBe(true);
    expect(m('type eq "x"', "admin")).toBe(false);
  });

  it("follows sub-attributes, URN-qualified names and nested value paths", () => {
    const user = { name: { givenName: "Jane" }, emails: [home, work], [ENT]: { employeeNumber: "701984" } };
    expect(m('name.givenName eq "jane"', user)).toBe(true);
    expect(m(`${ENT}:employeeNumber eq 701984`, user)).toBe(true);
    expect(m('emails.type eq "work"', user)).toBe(true);
    expect(m('emails[type eq "work" and value co "acme"]', user)).toBe(true);
    expect(m('emails[type eq "home" and value co "acme"]', user)).toBe(false);
    expect(m('emails[type eq "work"].value eq "jane@home.example"', user)).toBe(false);
    expect(m('emails.value ne "jane@home.example"', user)).toBe(false);
  });
});
