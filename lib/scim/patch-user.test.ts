import { describe, expect, it } from "vitest";
import type { UserResource } from "./normalize";
import { ENTERPRISE_USER_SCHEMA } from "./schemas";
import { JANE, patch } from "./test-helpers";

const ENT = ENTERPRISE_USER_SCHEMA;

// applyUserPatch: the PATCH shapes Okta and Entra send.

describe("applyUserPatch: IdP shapes (IDP-BEHAVIOUR.md)", () => {
  it.each<[string, unknown[], (u: UserResource) => unknown, unknown]>([
    ["Okta deactivate", [{ op: "replace", value: { active: false } }], (u) => u.active, false],
    ["Okta reactivate", [{ op: "replace", value: { active: true } }], (u) => u.active, true],
    ["Entra disable with a string", [{ op: "Replace", path: "active", value: "False" }], (u) => u.active, false],
    ["Entra enable with a string", [{ op: "Replace", path: "active", value: "True" }], (u) => u.active, true],
    [
      "Entra work email",
      [{ op: "Replace", path: 'emails[type eq "work"].value', value: "new@acme.com" }],
      (u) => u.emails,
      [{ value: "new@acme.com", type: "work", primary: true }],
    ],
    [
      "Entra family name",
      [{ op: "Replace", path: "name.familyName", value: "Smith" }],
      (u) => u.name,
      { givenName: "Jane", familyName: "Smith" },
    ],
    [
      "Entra employeeNumber",
      [{ op: "Add", path: `${ENT}:employeeNumber`, value: "701984" }],
      (u) => u[ENT],
      { department: "Eng", manager: { value: "boss" }, employeeNumber: "701984" },
    ],
    [
      "Entra Add on an existing single value replaces it",
      [{ op: "Add", path: "displayName", value: "J. Doe" }],
      (u) => u.displayName,
      "J. Doe",
    ],
    [
      "Entra no-path replace with dotted and URN keys",
      [{ op: "Replace", value: { "name.givenName": "Janet", [`${ENT}:department`]: "Sales", displayName: "Janet Doe" } }],
      (u) => [u.name, u[ENT], u.displayName],
      [{ givenName: "Janet", familyName: "Doe" }, { department: "Sales", manager: { value: "boss" } }, "Janet Doe"],
    ],
    [
      "Entra manager set with a string",
      [{ op: "Add", path: `${ENT}:manager`, value: "m2" }],
      (u) => u[ENT],
      { department: "Eng", manager: { value: "m2" } },
    ],
    [
      "Entra manager set with {value}",
      [{ op: "Replace", path: `${ENT}:manager`, value: { value: "m2" } }],
      (u) => u[ENT],
      { department: "Eng", manager: { value: "m2" } },
    ],
    [
      "Entra manager set with [{$ref:null,value}]",
      [{ op: "Add", path: `${ENT}:manager`, value: [{ $ref: null, value: "m2" }] }],
      (u) => u[ENT],
      { department: "Eng", manager: { value: "m2" } },
    ],
    ["Entra manager cleared by remove", [{ op: "Remove", path: `${ENT}:manager` }], (u) => u[ENT], { department: "Eng" }],
    [
      'Entra manager cleared by {value:""}',
      [{ op: "Replace", path: `${ENT}:manager`, value: { value: "" } }],
      (u) => u[ENT],
      { department: "Eng" },
    ],
    ['Entra manager cleared by ""', [{ op: "Replace", path: `${ENT}:manager`, value: "" }], (u) => u[ENT], { department: "Eng" }],
    [
      "Entra Add roles with string primary",
      [{ op: "Add", path: "roles", value: [{ primary: "True", type: "WindowsAzureActiveDirectoryRole", value: "Admin" }] }],
      (u) => u.roles,
      [{ primary: true, type: "WindowsAzureActiveDirectoryRole", value: "Admin" }],
    ],
    [
      "no-path key with a value filter",
      [{ op: "replace", value: { 'phoneNumbers[type eq "mobile"].value': "555" } }],
      (u) => u.phoneNumbers,
      [{ type: "mobile", value: "555" }],
    ],
    [
      "Entra work address",
      [{ op: "Add", path: 'addresses[type eq "work"].locality', value: "Oslo" }],
      (u) => u.addresses,
      [{ type: "work", locality: "Oslo" }],
    ],
    [
      "manager.value path",
      [{ op: "replace", path: `${ENT}:manager.value`, value: "m3" }],
      (u) => u[ENT],
      { department: "Eng", manager: { value: "m3" } },
    ],
    [
      "Entra remove emails by value array",
      [
        { op: "Add", path: "emails", value: [{ value: "j2@acme.com", type: "home" }] },
        { op: "Remove", path: "emails", value: [{ value: "JANE@acme.com" }] },
      ],
      (u) => u.emails,
      [{ value: "j2@acme.com", type: "home" }],
    ],
  ])("%s", (_n, ops, pick, expected) => {
    expect(pick(patch(JANE, ...ops))).toEqual(expected);
  });

  it("Entra creates a work email when the user has none", () => {
    const user = { userName: "u", emails: [{ value: "h@x", type: "home" }] };
    expect(patch(user, { op: "Replace", path: 'emails[type eq "work"].value', value: "w@x" }).emails).toEqual([
      { value: "h@x", type: "home" },
      { type: "work", value: "w@x" },
    ]);
    expect(patch({ userName: "u" }, { op: "Add", path: 'emails[type eq "work"].value', value: "w@x" }).emails).toEqual([
      { type: "work", value: "w@x" },
    ]);
  });

  it("Entra whole-object no-path replace with the enterprise URN holding an object", () => {
    const out = patch(JANE, {
      op: "Replace",
      value: {
        [ENT.toLowerCase()]: { costCenter: "CC1", manager: { value: "" } },
        "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:x": "y",
      },
    });
    expect(out[ENT]).toEqual({ department: "Eng", costCenter: "CC1" });
  });
});
