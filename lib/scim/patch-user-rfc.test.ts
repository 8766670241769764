import { describe, expect, it } from "vitest";
import { ScimError } from "./errors";
import { applyUserPatch, type PatchOperation } from "./patch";
import { ENTERPRISE_USER_SCHEMA } from "./schemas";
import { JANE, patch, scimError } from "./test-helpers";

const ENT = ENTERPRISE_USER_SCHEMA;

// applyUserPatch: RFC 7644 §3.5.2 path by path.

describe("applyUserPatch: RFC 7644 §3.5.2", () => {
  it("applies operations in order", () => {
    const out = patch(
      JANE,
      { op: "replace", path: "title", value: "A" },
      { op: "replace", path: "title", value: "B" },
      { op: "remove", path: "displayName" },
    );
    expect(out.title).toBe("B");
    expect(out).not.toHaveProperty("displayName");
  });

  it("add to a multi-valued attribute appends, merging an equal element", () => {
    const out = patch(JANE, {
      op: "add",
      path: "emails",
      value: [
        { value: "JANE@acme.com", type: "work", display: "Work" },
        { value: "j@home.org", type: "home" },
      ],
    });
    expect(out.emails).toEqual([
      { value: "JANE@acme.com", type: "work", primary: true, display: "Work" },
      { value: "j@home.org", type: "home" },
    ]);
  });

  it("add of a single object to a multi-valued attribute, and to a missing one", () => {
    expect(patch(JANE, { op: "add", path: "phoneNumbers", value: { value: "555", type: "mobile" } }).phoneNumbers).toEqual([
      { value: "555", type: "mobile" },
    ]);
    expect(patch(JANE, { op: "add", value: { roles: [{ value: "admin" }] } }).roles).toEqual([{ value: "admin" }]);
  });

  it("replace of a multi-valued attribute without filter replaces the array", () => {
    expect(patch(JANE, { op: "replace", path: "emails", value: [{ value: "x@y", type: "home" }] }).emails).toEqual([
      { value: "x@y", type: "home" },
    ]);
  });

  it("add and replace merge into complex attributes", () => {
    expect(patch(JANE, { op: "add", path: "name", value: { middleName: "Q" } }).name).toEqual({
      givenName: "Jane",
      familyName: "Doe",
      middleName: "Q",
    });
    expect(patch(JANE, { op: "replace", value: { name: { givenName: "J", familyName: null } } }).name).toEqual({ givenName: "J" });
  });

  it("value-filter replace with an object merges into matching elements", () => {
    const user = {
      userName: "u",
      phoneNumbers: [
        { value: "1", type: "work" },
        { value: "2", type: "home" },
      ],
    };
    expect(
      patch(user, { op: "replace", path: 'phoneNumbers[type eq "work"]', value: { value: "9", display: "nine" } }).phoneNumbers,
    ).toEqual([
      { value: "9", type: "work", display: "nine" },
      { value: "2", type: "home" },
    ]);
  });

  it("value-filter replace with no match and a non-type filter → noTarget", () => {
    const err = scimError(() => patch(JANE, { op: "replace", path: 'emails[value eq "nobody@x"].type', value: "home" }));
    expect([err.status, err.scimType]).toEqual([400, "noTarget"]);
  });

  it("value-filter remove removes matching elements; with a sub-attribute, only that sub-attribute", () => {
    const user = {
      userName: "u",
      emails: [
        { value: "a@x", type: "work", display: "A" },
        { value: "b@x", type: "home" },
      ],
    };
    expect(patch(user, { op: "remove", path: 'emails[type eq "work"]' }).emails).toEqual([{ value: "b@x", type: "home" }]);
    expect(patch(user, { op: "remove", path: 'emails[type eq "work"].display' }).emails).toEqual([
      { value: "a@x", type: "work" },
      { value: "b@x", type: "home" },
    ]);
  });

  it.each([
    ["a missing attribute", { op: "remove", path: "title" }],
    ["a missing sub-attribute", { op: "remove", path: "name.middleName" }],
    ["a filter on a missing attribute", { op: "remove", path: 'phoneNumbers[type eq "fax"]' }],
    ["a filter matching nothing", { op: "remove", path: 'emails[type eq "home"]' }],
  ])("removing %s is a no-op", (_n, op) => {
    expect(patch(JANE, op)).toEqual(JANE);
  });

  it("removing the last sub-attribute drops the complex attribute", () => {
    const out = patch(JANE, { op: "remove", path: "name.givenName" }, { op: "remove", path: "name.familyName" });
    expect(out).not.toHaveProperty("name");
  });

  it("removing the last enterprise attribute drops the extension", () => {
    const out = patch(JANE, { op: "remove", path: `${ENT}:department` }, { op: "remove", path: `${ENT}:manager` });
    expect(out).not.toHaveProperty(ENT);
  });

  it("ignores read-only keys, schemas and password in no-path operations", () => {
    const out = patch(JANE, {
      op: "replace",
      value: { id: "x", meta: {}, groups: [{ value: "g" }], schemas: [], password: "secret", title: "T" },
    });
    expect(out).toEqual({ ...JANE, title: "T" });
  });

  it("ignores password with a path", () => {
    expect(patch(JANE, { op: "replace", path: "password", value: "secret" })).toEqual(JANE);
  });

  it("a new primary demotes the others", () => {
    const user = {
      userName: "u",
      emails: [
        { value: "a@x", type: "work", primary: true },
        { value: "b@x", type: "home" },
      ],
    };
    expect(patch(user, { op: "replace", path: 'emails[type eq "home"].primary', value: "True" }).emails).toEqual([
      { value: "a@x", type: "work" },
      { value: "b@x", type: "home", primary: true },
    ]);
    expect(patch(user, { op: "add", path: "emails", value: [{ value: "c@x", primary: true }] }).emails).toEqual([
      { value: "a@x", type: "work" },
      { value: "b@x", type: "home" },
      { value: "c@x", primary: true },
    ]);
  });

  it("primary false is stored as no primary", () => {
    expect(patch(JANE, { op: "replace", path: 'emails[type eq "work"].primary', value: false }).emails).toEqual([
      { value: "jane@acme.com", type: "work" },
    ]);
  });

  it("never mutates its input", () => {
    const before = structuredClone(JANE);
    patch(
      JANE,
      { op: "add", path: "emails", value: { value: "JANE@acme.com", type: "work", display: "d" } },
      { op: "remove", path: "name.givenName" },
      { op: "replace", path: `${ENT}:department`, value: "X" },
    );
    expect(JANE).toEqual(before);
  });

  it.each<[string, PatchOperation[], string, RegExp]>([
    ["remove without path", [{ op: "remove" }], "noTarget", /path/],
    ["unknown path", [{ op: "replace", path: "favouriteColour", value: "x" }], "invalidPath", /favouriteColour/],
    ["unknown sub-attribute", [{ op: "replace", path: 'emails[type eq "work"].colour', value: "x" }], "invalidPath", /colour/],
    ["unparseable path", [{ op: "replace", path: "emails[type eq", value: "x" }], "invalidPath", /./],
    ["id", [{ op: "replace", path: "id", value: "x" }], "mutability", /id/],
    ["meta.created", [{ op: "replace", path: "meta.created", value: "x" }], "mutability", /meta/],
    ["groups", [{ op: "add", path: "groups", value: [{ value: "g" }] }], "mutability", /groups/],
    ["schemas", [{ op: "replace", path: "schemas", value: [] }], "mutability", /schemas/],
    ["manager.displayName", [{ op: "replace", path: `${ENT}:manager.displayName`, value: "x" }], "mutability", /manager\.displayName/],
    ["empty userName", [{ op: "replace", path: "userName", value: "" }], "invalidValue", /userName/],
    ["removing userName", [{ op: "remove", path: "userName" }], "invalidValue", /userName/],
    ["bad boolean", [{ op: "replace", path: "active", value: "nope" }], "invalidValue", /active/],
    ["no-path value not an object", [{ op: "replace", value: "x" }], "invalidValue", /object/],
    ["filter on a single-valued attribute", [{ op: "replace", path: 'name[givenName eq "x"]', value: {} }], "invalidPath", /multi-valued/],
    [
      "two primaries at once",
      [
        {
          op: "add",
          path: "emails",
          value: [
            { value: "a", primary: true },
            { value: "b", primary: "True" },
          ],
        },
      ],
      "invalidValue",
      /primary/,
    ],
  ])("%s → 400", (_n, ops, scimType, detail) => {
    const err = scimError(() => applyUserPatch(JANE, ops));
    expect([err.status, err.scimType]).toEqual([400, scimType]);
    expect(err.detail).toMatch(detail);
  });

  it("a failing operation throws even after successful ones (atomic), leaving the input alone", () => {
    const before = structuredClone(JANE);
    expect(() => applyUserPatch(JANE, [{ op: "replace", path: "title", value: "T" }, { op: "remove" }])).toThrow(ScimError);
    expect(JANE).toEqual(before);
  });
});
