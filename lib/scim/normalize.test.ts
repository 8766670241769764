import { describe, expect, it } from "vitest";
import { canonicalizeValue, normalizeGroupInput, normalizeUserInput } from "./normalize";
import { ENTERPRISE_USER_SCHEMA, resolveAttribute, USER_SCHEMA } from "./schemas";
import { scimError } from "./test-helpers";

const ENT = ENTERPRISE_USER_SCHEMA;

describe("normalizeUserInput", () => {
  it("Okta create: keeps the profile, drops password, groups and schemas", () => {
    const body = {
      schemas: [USER_SCHEMA],
      userName: "Test.User@okta.local",
      name: { givenName: "Test", familyName: "User" },
      emails: [{ primary: true, value: "test.user@okta.local", type: "work" }],
      displayName: "Test User",
      locale: "en-US",
      externalId: "00ujl29u0le5T6Aj10h7",
      groups: [],
      password: "1mz050nq",
      active: true,
    };
    expect(normalizeUserInput(body)).toEqual({
      userName: "Test.User@okta.local",
      name: { givenName: "Test", familyName: "User" },
      emails: [{ primary: true, value: "test.user@okta.local", type: "work" }],
      displayName: "Test User",
      locale: "en-US",
      externalId: "00ujl29u0le5T6Aj10h7",
      active: true,
    });
  });

  it("Okta create without externalId", () => {
    const out = normalizeUserInput({ schemas: [USER_SCHEMA], userName: "a@x.com", groups: [], password: "p", active: true });
    expect(out).toEqual({ userName: "a@x.com", active: true });
  });

  it('Entra create: both schemas, explicit nulls, meta, roles [], "True", Microsoft extension URN', () => {
    const body = {
      schemas: [USER_SCHEMA, ENT],
      externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
      userName: "Test_User_ab6490ee@testuser.com",
      active: "True",
      addresses: null,
      displayName: "Test User",
      nickName: "",
      emails: [{ primary: "True", type: "work", value: "Test_User_fd0ea19b@testuser.com" }],
      meta: { resourceType: "User" },
      name: { familyName: "User", givenName: "Test", formatted: null },
      phoneNumbers: [{ type: "mobile", value: null }],
      roles: [],
      title: null,
      preferredLanguage: "en-US",
      [ENT]: { employeeNumber: "1", department: "Eng", costCenter: null, manager: { value: "" } },
      "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User": { CustomAttribute: "x" },
      "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:other": "y",
    };
    expect(normalizeUserInput(body)).toEqual({
      externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
      userName: "Test_User_ab6490ee@testuser.com",
      active: true,
      displayName: "Test User",
      emails: [{ primary: true, type: "work", value: "Test_User_fd0ea19b@testuser.com" }],
      name: { familyName: "User", givenName: "Test" },
      preferredLanguage: "en-US",
      [ENT]: { employeeNumber: "1", department: "Eng" },
    });
  });

  it("canonicalises names in any case, URN-qualified keys and the enterprise URN in any case", () => {
    const out = normalizeUserInput({
      UserName: "a@x.com",
      "urn:ietf:params:scim:schemas:core:2.0:User:displayName": "A",
      NAME: { GivenName: "A", Unknown: "dropped" },
      Emails: [{ Value: "a@x.com", Primary: "false", TYPE: "work", extra: 1 }],
      [ENT.toUpperCase()]: { Manager: { Value: "m1", displayName: "read-only" }, EmployeeNumber: 42 },
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "Sales",
      id: "ignored",
      unknownThing: 1,
    });
    expect(out).toEqual({
      userName: "a@x.com",
      displayName: "A",
      name: { givenName: "A" },
      emails: [{ value: "a@x.com", type: "work" }],
      [ENT]: { manager: { value: "m1" }, employeeNumber: "42", department: "Sales" },
    });
  });

  it("manager as a plain string (old clients), and cleared with null or an empty value", () => {
    expect(normalizeUserInput({ userName: "a", [ENT]: { manager: "m1" } })[ENT]).toEqual({ manager: { value: "m1" } });
    expect(normalizeUserInput({ userName: "a", [ENT]: { manager: null } })).toEqual({ userName: "a" });
    expect(normalizeUserInput({ userName: "a", [ENT]: { manager: { value: "" } } })).toEqual({ userName: "a" });
  });

  it("wraps a single object where an array is expected and drops empty elements", () => {
    const out = normalizeUserInput({ userName: "a", emails: { value: "a@x.com", type: "work" }, phoneNumbers: [null, {}] });
    expect(out).toEqual({ userName: "a", emails: [{ value: "a@x.com", type: "work" }] });
  });

  it("numbers are accepted for strings", () => {
    expect(normalizeUserInput({ userName: 12345 })).toEqual({ userName: "12345" });
  });

  it.each([
    ["missing userName", { displayName: "x" }, "invalidValue", /userName is required/],
    ["empty userName", { userName: "" }, "invalidValue", /userName is required/],
    ["bad boolean", { userName: "a", active: "yes" }, "invalidValue", /active/],
    ["object for a string", { userName: "a", title: { x: 1 } }, "invalidValue", /title/],
    ["array for a string", { userName: "a", title: ["x"] }, "invalidValue", /title/],
    [
      "two primaries",
      {
        userName: "a",
        emails: [
          { value: "a", primary: true },
          { value: "b", primary: "True" },
        ],
      },
      "invalidValue",
      /primary/,
    ],
    ["bad primary", { userName: "a", emails: [{ value: "a", primary: "maybe" }] }, "invalidValue", /emails\.primary/],
    ["not an object", ["userName"], "invalidSyntax", /object/],
    ["null body", null, "invalidSyntax", /object/],
  ])("%s → 400", (_name, body, scimType, detail) => {
    const err = scimError(() => normalizeUserInput(body));
    expect(err.status).toBe(400);
    expect(err.scimType).toBe(scimType);
    expect(err.detail).toMatch(detail);
  });

  it("does not mutate its input", () => {
    const body = { userName: "a", emails: [{ value: "a@x.com", primary: "True" }] };
    const copy = structuredClone(body);
    normalizeUserInput(body);
    expect(body).toEqual(copy);
  });
});

describe("normalizeGroupInput", () => {
  it("Okta push: displayName and empty members", () => {
    expect(normalizeGroupInput({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Eng", members: [] })).toEqual({
      group: { displayName: "Eng", extra: {} },
      memberIds: [],
    });
  });

  it("Entra create: externalId, members with $ref null, Microsoft URN, meta", () => {
    const out = normalizeGroupInput({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
      externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
      displayName: "Group1DisplayName",
      meta: { resourceType: "Group" },
      members: [{ $ref: null, value: "u1" }, { value: "u2", display: "Two" }, { Value: "u1" }],
      "urn:ietf:params:scim:schemas:extension:microsoft:2.0:Group": { x: 1 },
    });
    expect(out).toEqual({
      group: { displayName: "Group1DisplayName", externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159", extra: {} },
      memberIds: ["u1", "u2"],
    });
  });

  it("accepts DisplayName in any case and a single member object", () => {
    expect(normalizeGroupInput({ DISPLAYNAME: "G", members: { value: "u1" } })).toEqual({
      group: { displayName: "G", extra: {} },
      memberIds: ["u1"],
    });
  });

  it.each([
    ["missing displayName", { members: [] }, "invalidValue"],
    ["empty displayName", { displayName: "" }, "invalidValue"],
    ["member without value", { displayName: "G", members: [{ display: "x" }] }, "invalidValue"],
    ["member with empty value", { displayName: "G", members: [{ value: "" }] }, "invalidValue"],
    ["member with numeric value", { displayName: "G", members: [{ value: 5 }] }, "invalidValue"],
    ["not an object", "G", "invalidSyntax"],
  ])("%s → 400", (_name, body, scimType) => {
    const err = scimError(() => normalizeGroupInput(body));
    expect([err.status, err.scimType]).toEqual([400, scimType]);
  });
});

describe("canonicalizeValue", () => {
  const path = (p: string) => resolveAttribute("User", p)!;
  it.each([
    ["active", "False", false],
    ["active", "TRUE", true],
    ["active", true, true],
    ["emails.primary", "True", true],
    ["emails.primary", false, undefined],
    ["title", 7, "7"],
    ["title", "", undefined],
    ["title", null, undefined],
    ["emails", { Value: "a@x", Type: "work" }, [{ value: "a@x", type: "work" }]],
    ["name", { givenname: "A", FAMILYNAME: "" }, { givenName: "A" }],
    [`${ENT}:manager`, "m1", { value: "m1" }],
    [`${ENT}:manager`, { value: "" }, undefined],
    [`${ENT}:manager.value`, "m1", "m1"],
  ])("%s ← %j", (p, value, expected) => {
    expect(canonicalizeValue("User", path(p), value)).toEqual(expected);
  });

  it("names the attribute in its error", () => {
    expect(scimError(() => canonicalizeValue("User", path("active"), "nope")).detail).toMatch(/^active must be a boolean/);
  });
});
