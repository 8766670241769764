import { expect, test } from "@playwright/test";
import { expectScimError, scimClient, scimFixtures, unique } from "../support/scim";

// Microsoft Entra ID's provisioning service, with its quirks (IDP-BEHAVIOUR.md), over HTTP against `next start`.
test.describe.configure({ mode: "serial" });

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

function entraUser(userName: string, externalId: string) {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
    externalId,
    userName,
    active: "True",
    displayName: "Ryan Leenay",
    emails: [{ primary: true, type: "work", value: userName }],
    meta: { resourceType: "User" },
    name: { formatted: "Ryan Leenay", familyName: "Leenay", givenName: "Ryan" },
    roles: [],
    title: null,
    nickName: null,
    [ENTERPRISE]: { employeeNumber: "701984", department: "Sales", manager: null },
  };
}

test("connection test, creates with both schemas and nulls, matching filters", async ({ request }) => {
  const scim = scimClient(request, scimFixtures().entra);
  const probe = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${crypto.randomUUID()}"`)}`);
  expect(probe.status()).toBe(200);
  expect(await probe.json()).toMatchObject({ totalResults: 0, Resources: [] });

  const userName = `${unique("ryan")}@contoso.com`;
  const externalId = unique("ext");
  const res = await scim.post("/Users", entraUser(userName, externalId));
  expect(res.status(), await res.text()).toBe(201);
  const user = await res.json();
  expect(user.active).toBe(true);
  expect(user.schemas).toContain(ENTERPRISE);
  expect(user[ENTERPRISE]).toEqual({ employeeNumber: "701984", department: "Sales" });
  expect(user.title).toBeUndefined();
  expect(JSON.stringify(user)).not.toContain("null");

  for (const filter of [
    `userName eq "${userName}"`,
    `externalId eq "${externalId}"`,
    `emails[type eq "work"].value eq "${userName}"`,
    `userName eq "${userName}" and externalId eq "${externalId}"`,
  ]) {
    const body = await (await scim.get(`/Users?filter=${encodeURIComponent(filter)}`)).json();
    expect(body.totalResults, filter).toBe(1);
    expect(body.Resources[0].id).toBe(user.id);
  }
  // externalId is case-exact.
  expect(
    (await (await scim.get(`/Users?filter=${encodeURIComponent(`externalId eq "${externalId.toUpperCase()}"`)}`)).json()).totalResults,
  ).toBe(0);
});

test("quirky PATCHes: capitalised ops, string booleans, dotted and URN paths, manager set and cleared", async ({ request }) => {
  const scim = scimClient(request, scimFixtures().entra);
  const manager = await (await scim.post("/Users", entraUser(`${unique("boss")}@contoso.com`, unique("ext")))).json();
  const user = await (await scim.post("/Users", entraUser(`${unique("emp")}@contoso.com`, unique("ext")))).json();
  const patch = async (...Operations: unknown[]) => {
    const res = await scim.patch(`/Users/${user.id}`, { schemas: [PATCH], Operations });
    expect(res.status(), await res.text()).toBe(200);
    return res.json();
  };

  let u = await patch(
    { op: "Replace", path: "displayName", value: "Ryan L." },
    { op: "Add", path: `${ENTERPRISE}:employeeNumber`, value: "42" },
    { op: "Replace", path: 'emails[type eq "work"].value', value: "ryan.new@contoso.com" },
    { op: "replace", value: { "name.givenName": "Bryan", [`${ENTERPRISE}:department`]: "Marketing" } },
  );
  expect(u.displayName).toBe("Ryan L.");
  expect(u.name.givenName).toBe("Bryan");
  expect(u[ENTERPRISE]).toMatchObject({ employeeNumber: "42", department: "Marketing" });
  expect(u.emails).toEqual([expect.objectContaining({ type: "work", value: "ryan.new@contoso.com" })]);

  u = await patch({ op: "Add", path: `${ENTERPRISE}:manager`, value: { value: manager.id } });
  expect(u[ENTERPRISE].manager).toMatchObject({ value: manager.id });
  u = await patch({ op: "Remove", path: `${ENTERPRISE}:manager` });
  expect(u[ENTERPRISE].manager).toBeUndefined();
  u = await patch({ op: "Add", path: `${ENTERPRISE}:manager`, value: manager.id });
  expect(u[ENTERPRISE].manager).toMatchObject({ value: manager.id });
  u = await patch({ op: "Replace", path: `${ENTERPRISE}:manager`, value: { value: "" } });
  expect(u[ENTERPRISE].manager).toBeUndefined();

  u = await patch({ op: "Replace", path: "active", value: "False" });
  expect(u.active).toBe(false);
  u = await patch({ op: "Replace", path: "active", value: "True" });
  expect(u.active).toBe(true);

  await expectScimError(await scim.patch(`/Users/${user.id}`, { schemas: [PATCH], Operations: [{ op: "Remove" }] }), 400, "noTarget");
  // A failed PATCH changes nothing (atomic).
  await expectScimError(
    await scim.patch(`/Users/${user.id}`, {
      schemas: [PATCH],
      Operations: [
        { op: "Replace", path: "displayName", value: "Changed" },
        { op: "Replace", path: "active", value: "maybe" },
      ],
    }),
    400,
  );
  expect((await (await scim.get(`/Users/${user.id}`)).json()).displayName).toBe("Ryan L.");
});

test("groups: member arrays, add and remove of one member in one request, excludedAttributes=members", async ({ request }) => {
  const scim = scimClient(request, scimFixtures().entra);
  const u1 = await (await scim.post("/Users", entraUser(`${unique("m1")}@contoso.com`, unique("ext")))).json();
  const u2 = await (await scim.post("/Users", entraUser(`${unique("m2")}@contoso.com`, unique("ext")))).json();
  const name = unique("Sales");
  const created = await scim.post("/Groups", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
    externalId: unique("gext"),
    displayName: name,
    members: [],
  });
  expect(created.status(), await created.text()).toBe(201);
  const group = await created.json();
  const patch = async (...Operations: unknown[]) =>
    expect((await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH], Operations })).status()).toBe(204);
  const members = async () =>
    ((await (await scim.get(`/Groups/${group.id}`)).json()).members as { value: string }[]).map((m) => m.value).sort();

  await patch({ op: "Add", path: "members", value: [{ value: u1.id }, { value: u2.id }] });
  expect(await members()).toEqual([u1.id, u2.id].sort());
  await patch({ op: "Remove", path: "members", value: [{ value: u1.id }] });
  expect(await members()).toEqual([u2.id]);
  await patch({ op: "Add", path: "members", value: [{ value: u1.id }] }, { op: "Remove", path: `members[value eq "${u1.id}"]` });
  expect(await members()).toEqual([u2.id]);
  await patch({ op: "Replace", path: "members", value: [{ value: u1.id }] });
  expect(await members()).toEqual([u1.id]);

  const lean = await (await scim.get(`/Groups/${group.id}?excludedAttributes=members`)).json();
  expect(lean.members).toBeUndefined();
  expect(lean).toMatchObject({ id: group.id, displayName: name, schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"] });
  const listed = await (
    await scim.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${name}"`)}`)
  ).json();
  expect(listed.totalResults).toBe(1);
  expect(listed.Resources[0].members).toBeUndefined();

  // PATCH with attributes asks for the resource back.
  const withBody = await scim.patch(`/Groups/${group.id}?attributes=displayName`, {
    schemas: [PATCH],
    Operations: [{ op: "Replace", path: "displayName", value: `${name} EMEA` }],
  });
  expect(withBody.status()).toBe(200);
  expect(await withBody.json()).toEqual({
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    id: group.id,
    displayName: `${name} EMEA`,
    meta: { resourceType: "Group" },
  });

  // Deleting a member user removes it from the group.
  expect((await scim.delete(`/Users/${u1.id}`)).status()).toBe(204);
  expect(await members()).toEqual([]);
});

test("DELETE then GET is 404, for users and groups", async ({ request }) => {
  const scim = scimClient(request, scimFixtures().entra);
  const user = await (await scim.post("/Users", entraUser(`${unique("gone")}@contoso.com`, unique("ext")))).json();
  expect((await scim.delete(`/Users/${user.id}`)).status()).toBe(204);
  await expectScimError(await scim.get(`/Users/${user.id}`), 404);
  await expectScimError(await scim.delete(`/Users/${user.id}`), 404);
  const group = await (await scim.post("/Groups", { displayName: unique("Temp"), members: [] })).json();
  expect((await scim.delete(`/Groups/${group.id}`)).status()).toBe(204);
  await expectScimError(await scim.get(`/Groups/${group.id}`), 404);
  // The same userName can be provisioned again after a delete.
  expect((await scim.post("/Users", entraUser(user.userName, unique("ext")))).status()).toBe(201);
});
