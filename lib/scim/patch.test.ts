import { describe, expect, it } from "vitest";
import { ScimError } from "./errors";
import type { GroupResource, UserResource } from "./normalize";
import { activeOnlyPatch, applyUserPatch, parsePatchBody, planGroupPatch, type PatchOperation } from "./patch";
import { ENTERPRISE_USER_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from "./schemas";
import { scimError } from "./test-helpers";

const ENT = ENTERPRISE_USER_SCHEMA;
const body = (...Operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations });

const JANE: UserResource = {
  userName: "jane@acme.com",
  externalId: "00u1",
  name: { givenName: "Jane", familyName: "Doe" },
  displayName: "Jane Doe",
  emails: [{ value: "jane@acme.com", type: "work", primary: true }],
  active: true,
  [ENT]: { department: "Eng", manager: { value: "boss" } },
};

const patch = (user: UserResource, ...ops: unknown[]) => applyUserPatch(user, parsePatchBody(body(...ops)));

describe("parsePatchBody", () => {
  it("lower-cases op, accepts any case of Operations, keeps path and value", () => {
    expect(
      parsePatchBody({
        operations: [
          { op: "Replace", path: "active", value: "False" },
          { OP: "REMOVE", path: " title " },
        ],
      }),
    ).toEqual([
      { op: "replace", path: "active", value: "False" },
      { op: "remove", path: "title" },
    ]);
  });

  it.each([
    ["not an object", "x"],
    ["no Operations", { schemas: [PATCH_OP_SCHEMA] }],
    ["empty Operations", body()],
    ["Operations not an array", { Operations: {} }],
    ["wrong schema", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], Operations: [{ op: "add", path: "title", value: "x" }] }],
    ["unknown op", body({ op: "move", path: "title", value: "x" })],
    ["op missing", body({ path: "title", value: "x" })],
    ["operation not an object", body("add")],
    ["path not a string", body({ op: "remove", path: 5 })],
    ["add without value", body({ op: "add", path: "title" })],
  ])("%s → 400 invalidSyntax", (_n, b) => {
    const err = scimError(() => parsePatchBody(b));
    expect([err.status, err.scimType]).toEqual([400, "invalidSyntax"]);
  });
});

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

describe("planGroupPatch", () => {
  const G: GroupResource = { displayName: "Eng", externalId: "ext", extra: {} };
  const plan = (...ops: unknown[]) => planGroupPatch(G, parsePatchBody(body(...ops)));

  it("Okta rename with id inside value, then membership", () => {
    expect(
      plan(
        { op: "replace", value: { id: "abf4dd94-a4c0-4f67-89c9-76b03340cb9b", displayName: "Eng Team" } },
        { op: "remove", path: 'members[value eq "u1"]' },
        { op: "add", path: "members", value: [{ value: "u2", display: "Two" }] },
      ),
    ).toEqual({
      group: { displayName: "Eng Team", externalId: "ext", extra: {} },
      memberSteps: [
        { action: "remove", ids: ["u1"] },
        { action: "add", ids: ["u2"] },
      ],
    });
  });

  it.each<[string, unknown[], unknown]>([
    [
      "Okta full replace",
      [{ op: "replace", path: "members", value: [{ value: "u1", display: "a" }, { value: "u2" }] }],
      [{ action: "replace", ids: ["u1", "u2"] }],
    ],
    ["replace with []", [{ op: "replace", path: "members", value: [] }], [{ action: "removeAll" }]],
    [
      "Entra add",
      [{ op: "Add", path: "members", value: [{ $ref: null, value: "u1" }, { value: "u2" }] }],
      [{ action: "add", ids: ["u1", "u2"] }],
    ],
    [
      "Entra remove by value array",
      [{ op: "Remove", path: "members", value: [{ value: "u1" }, { value: "u2" }] }],
      [{ action: "remove", ids: ["u1", "u2"] }],
    ],
    ["Entra remove by filter", [{ op: "Remove", path: 'members[value eq "u1"]' }], [{ action: "remove", ids: ["u1"] }]],
    [
      "remove with an or filter",
      [{ op: "remove", path: 'members[value eq "u1" or value eq "u2"]' }],
      [{ action: "remove", ids: ["u1", "u2"] }],
    ],
    ["remove all", [{ op: "remove", path: "members" }], [{ action: "removeAll" }]],
    [
      "Entra add then remove of the same member, in order",
      [
        { op: "Add", path: "members", value: [{ value: "u1" }] },
        { op: "Remove", path: "members", value: [{ value: "u1" }] },
      ],
      [
        { action: "add", ids: ["u1"] },
        { action: "remove", ids: ["u1"] },
      ],
    ],
    ["no-path replace of members", [{ op: "replace", value: { members: [{ value: "u1" }] } }], [{ action: "replace", ids: ["u1"] }]],
    ["no-path add of members", [{ op: "add", value: { members: [{ value: "u1" }, { value: "u1" }] } }], [{ action: "add", ids: ["u1"] }]],
    ["members display is ignored", [{ op: "replace", path: 'members[value eq "u1"].display', value: "x" }], []],
  ])("%s", (_n, ops, steps) => {
    expect(plan(...ops).memberSteps).toEqual(steps);
  });

  it("Entra rename and externalId", () => {
    expect(
      plan({ op: "Replace", path: "displayName", value: "1879db59" }, { op: "replace", path: "externalId", value: "e2" }).group,
    ).toEqual({ displayName: "1879db59", externalId: "e2", extra: {} });
    expect(plan({ op: "remove", path: "externalId" }).group).toEqual({ displayName: "Eng", extra: {} });
  });

  it("does not mutate the group", () => {
    const before = structuredClone(G);
    plan({ op: "replace", value: { displayName: "X", externalId: null } });
    expect(G).toEqual(before);
  });

  it.each<[string, unknown[], string]>([
    ["members filter other than value eq", [{ op: "remove", path: 'members[display eq "x"]' }], "invalidFilter"],
    ["member without an id", [{ op: "add", path: "members", value: [{ display: "x" }] }], "invalidValue"],
    ["member with an empty id", [{ op: "add", path: "members", value: [{ value: "" }] }], "invalidValue"],
    ["remove without path", [{ op: "remove" }], "noTarget"],
    ["empty displayName", [{ op: "replace", path: "displayName", value: "" }], "invalidValue"],
    ["removing displayName", [{ op: "remove", path: "displayName" }], "invalidValue"],
    ["unknown path", [{ op: "replace", path: "owner", value: "x" }], "invalidPath"],
    ["id", [{ op: "replace", path: "id", value: "x" }], "mutability"],
  ])("%s → 400", (_n, ops, scimType) => {
    const err = scimError(() => plan(...ops));
    expect([err.status, err.scimType]).toEqual([400, scimType]);
  });

  it("invalidFilter names the supported form", () => {
    expect(scimError(() => plan({ op: "remove", path: 'members[value co "u"]' })).detail).toMatch(
      /only members\[value eq "…"\] is supported/i,
    );
  });
});

describe("activeOnlyPatch", () => {
  const ops = (...o: unknown[]) => parsePatchBody(body(...o));
  const activeOnly: [string, PatchOperation[], boolean][] = [
    ["Okta's deactivation", ops({ op: "replace", value: { active: false } }), false],
    ["Okta's reactivation", ops({ op: "replace", value: { active: true } }), true],
    ["Entra's string boolean with a path", ops({ op: "Replace", path: "active", value: "False" }), false],
    ["Entra's reactivation", ops({ op: "Replace", path: "active", value: "True" }), true],
    ["a URN-qualified path", ops({ op: "replace", path: `${USER_SCHEMA}:active`, value: false }), false],
    ["add on a single value", ops({ op: "add", path: "ACTIVE", value: true }), true],
    ["the last of several", ops({ op: "replace", path: "active", value: false }, { op: "replace", value: { Active: "true" } }), true],
  ];
  it.each(activeOnly)("%s sets active and nothing else", (_name, o, expected) => {
    expect(activeOnlyPatch(o)).toBe(expected);
    // What the shortcut writes (the stored resource with `active` set) is what the engine makes of it, whatever the
    // user looked like.
    const users: UserResource[] = [JANE, { ...JANE, active: false }, { userName: "no-active@acme.com", emails: [{ value: "x@acme.com" }] }];
    for (const user of users) expect(applyUserPatch(user, o)).toEqual({ ...structuredClone(user), active: expected });
  });

  it.each([
    ["a remove", ops({ op: "remove", path: "active" })],
    ["another attribute beside it", ops({ op: "replace", value: { active: false, displayName: "X" } })],
    ["another operation beside it", ops({ op: "replace", path: "active", value: false }, { op: "replace", path: "title", value: "CEO" })],
    ["a value the engine refuses", ops({ op: "replace", path: "active", value: "maybe" })],
    ["a null value (clears it)", ops({ op: "replace", path: "active", value: null })],
    ["the core schema as a container", ops({ op: "replace", value: { [USER_SCHEMA]: { active: false } } })],
    ["a filtered path", ops({ op: "replace", path: 'emails[type eq "work"].value', value: "a@b.c" })],
    ["no operations", []],
  ] as [string, PatchOperation[]][])("is undefined for %s", (_name, o) => {
    expect(activeOnlyPatch(o)).toBeUndefined();
  });
});
