import { expect, test } from "@playwright/test";
import { expectScimError, scimClient, scimFixtures, unique } from "../support/scim";

// Okta's request sequences, as IDP-BEHAVIOUR.md describes them, over HTTP against `next start`.
test.describe.configure({ mode: "serial" });

const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

function oktaUser(email: string, given = "Jane", family = "Doe") {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: email,
    name: { givenName: given, familyName: family },
    emails: [{ primary: true, value: email, type: "work" }],
    displayName: `${given} ${family}`,
    locale: "en-US",
    externalId: `00u${Math.random().toString(36).slice(2, 12)}`,
    groups: [],
    password: "tH1s-is-a-throwaway",
    active: true,
  };
}

test("Test API Credentials: the first users and groups pages", async ({ request }) => {
  const scim = scimClient(request, scimFixtures().okta);
  const users = await scim.get("/Users?startIndex=1&count=2");
  expect(users.status()).toBe(200);
  expect(users.headers()["content-type"]).toContain("application/scim+json");
  const body = await users.json();
  expect(body.schemas).toEqual([LIST]);
  expect(typeof body.totalResults).toBe("number");
  expect(body.startIndex).toBe(1);
  expect(Array.isArray(body.Resources)).toBe(true);
  const groups = await scim.get("/Groups?startIndex=1&count=100");
  expect(groups.status()).toBe(200);
  expect((await groups.json()).schemas).toEqual([LIST]);
});

test("assign a user: lookup, create, duplicate, update with GET+PUT, deactivate and reactivate", async ({ request }) => {
  const scim = scimClient(request, scimFixtures().okta);
  const email = `${unique("jane")}@Acme.com`;
  const lookup = `/Users?filter=userName%20eq%20%22${encodeURIComponent(email)}%22&startIndex=1&count=100`;

  const none = await (await scim.get(lookup)).json();
  expect(none).toMatchObject({ schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });

  const created = await scim.post("/Users", oktaUser(email));
  expect(created.status(), await created.text()).toBe(201);
  const user = await created.json();
  expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(user.userName).toBe(email); // stored as sent
  expect(user.active).toBe(true);
  expect(user.password).toBeUndefined();
  expect(JSON.stringify(user)).not.toContain("tH1s-is-a-throwaway");
  expect(user.meta).toMatchObject({ resourceType: "User", version: 'W/"1"' });
  expect(user.meta.location).toMatch(new RegExp(`/scim/v2\\.0/organizations/${scimFixtures().okta.orgId}/Users/${user.id}$`));
  expect(created.headers()["location"]).toBe(user.meta.location);
  expect(created.headers()["etag"]).toBe('W/"1"');
  expect(user.groups).toEqual([]);

  // Same userName in another letter case → 409 uniqueness.
  await expectScimError(await scim.post("/Users", oktaUser(email.toUpperCase())), 409, "uniqueness");

  // The lookup matches case-insensitively now.
  const found = await (
    await scim.get(`/Users?filter=userName%20eq%20%22${encodeURIComponent(email.toLowerCase())}%22&startIndex=1&count=100`)
  ).json();
  expect(found.totalResults).toBe(1);
  expect(found.Resources[0].id).toBe(user.id);

  // Profile update: GET, then PUT of the whole object.
  const current = await (await scim.get(`/Users/${user.id}`)).json();
  const put = await scim.put(`/Users/${user.id}`, {
    ...current,
    name: { givenName: "Janet", familyName: "Doe" },
    displayName: "Janet Doe",
    password: "another",
  });
  expect(put.status(), await put.text()).toBe(200);
  const updated = await put.json();
  expect(updated.name).toEqual({ givenName: "Janet", familyName: "Doe" });
  expect(updated.meta.version).toBe('W/"2"');
  expect(updated.id).toBe(user.id);

  // Deactivate: PATCH without path, a JSON boolean. The user stays retrievable.
  const deactivate = {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations: [{ op: "replace", value: { active: false } }],
  };
  const off = await scim.patch(`/Users/${user.id}`, deactivate);
  expect(off.status(), await off.text()).toBe(200);
  expect((await off.json()).active).toBe(false);
  const stillThere = await scim.get(`/Users/${user.id}`);
  expect(stillThere.status()).toBe(200);
  expect((await stillThere.json()).active).toBe(false);

  // Reactivate: same id.
  const on = await scim.patch(`/Users/${user.id}`, { ...deactivate, Operations: [{ op: "replace", value: { active: true } }] });
  expect(on.status()).toBe(200);
  expect(await on.json()).toMatchObject({ id: user.id, active: true, userName: email });
});

test("push groups: create, find by name, rename before membership changes, add and remove members, PUT, delete", async ({ request }) => {
  const scim = scimClient(request, scimFixtures().okta);
  const create = async (n: string) => (await (await scim.post("/Users", oktaUser(`${n}@acme.com`))).json()) as { id: string };
  const a = await create(unique("alice"));
  const b = await create(unique("bob"));
  const name = unique("Engineering");
  const created = await scim.post("/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: name, members: [] });
  expect(created.status(), await created.text()).toBe(201);
  const group = await created.json();
  expect(group).toMatchObject({ displayName: name, members: [], meta: { resourceType: "Group" } });
  await expectScimError(await scim.post("/Groups", { displayName: name.toLowerCase(), members: [] }), 409, "uniqueness");

  const byName = await (await scim.get(`/Groups?filter=${encodeURIComponent(`displayName eq "${name}"`)}&startIndex=1&count=100`)).json();
  expect(byName.totalResults).toBe(1);
  expect(byName.Resources[0].id).toBe(group.id);

  const patchOp = (...Operations: unknown[]) => ({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations });
  const rename = { op: "replace", value: { id: group.id, displayName: `${name} Team` } };
  const add = await scim.patch(
    `/Groups/${group.id}`,
    patchOp(rename, {
      op: "add",
      path: "members",
      value: [
        { value: a.id, display: "alice" },
        { value: b.id, display: "bob" },
      ],
    }),
  );
  expect(add.status(), await add.text()).toBe(204);
  let current = await (await scim.get(`/Groups/${group.id}`)).json();
  expect(current.displayName).toBe(`${name} Team`);
  expect(current.members.map((m: { value: string }) => m.value).sort()).toEqual([a.id, b.id].sort());
  expect(current.members[0].$ref).toContain("/Users/");

  // The user's read-only groups attribute follows.
  expect((await (await scim.get(`/Users/${a.id}`)).json()).groups).toEqual([
    expect.objectContaining({ value: group.id, display: `${name} Team` }),
  ]);

  const remove = await scim.patch(`/Groups/${group.id}`, patchOp({ ...rename }, { op: "remove", path: `members[value eq "${a.id}"]` }));
  expect(remove.status()).toBe(204);
  current = await (await scim.get(`/Groups/${group.id}`)).json();
  expect(current.members.map((m: { value: string }) => m.value)).toEqual([b.id]);

  const replace = await scim.patch(`/Groups/${group.id}`, patchOp({ op: "replace", path: "members", value: [{ value: a.id }] }));
  expect(replace.status()).toBe(204);
  current = await (await scim.get(`/Groups/${group.id}`)).json();
  expect(current.members.map((m: { value: string }) => m.value)).toEqual([a.id]);

  const put = await scim.put(`/Groups/${group.id}`, { ...current, members: [{ value: a.id }, { value: b.id }] });
  expect(put.status(), await put.text()).toBe(200);
  expect((await put.json()).members).toHaveLength(2);

  expect((await scim.delete(`/Groups/${group.id}`)).status()).toBe(204);
  await expectScimError(await scim.get(`/Groups/${group.id}`), 404);
});

test("imports page by 100 with a stable order and exact totals (more than 250 users)", async ({ request }) => {
  test.setTimeout(120_000);
  const scim = scimClient(request, scimFixtures().api);
  const tag = unique("page");
  const total = 260;
  for (let i = 0; i < total; i += 10) {
    await Promise.all(
      Array.from({ length: 10 }, async (_, j) => {
        const res = await scim.post("/Users", oktaUser(`${tag}-${String(i + j).padStart(3, "0")}@paging.example.com`));
        expect(res.status()).toBe(201);
      }),
    );
  }
  const filter = encodeURIComponent(`userName sw "${tag}-"`);
  const seen = new Set<string>();
  let startIndex = 1;
  for (;;) {
    const res = await scim.get(`/Users?filter=${filter}&startIndex=${startIndex}&count=100`);
    const page = await res.json();
    expect(page.totalResults).toBe(total);
    expect(page.startIndex).toBe(startIndex);
    expect(Number.isInteger(page.itemsPerPage)).toBe(true);
    for (const r of page.Resources) seen.add(r.id);
    if (startIndex + 100 > page.totalResults) {
      expect(page.itemsPerPage).toBe(total % 100);
      break;
    }
    expect(page.itemsPerPage).toBe(100);
    startIndex += 100;
  }
  expect(seen.size).toBe(total);
  // A count above 100 is honoured (up to the documented 1,000).
  const big = await (await scim.get(`/Users?filter=${filter}&count=500`)).json();
  expect(big.itemsPerPage).toBe(total);
});

test("ids that are not ours give 404 with a SCIM error", async ({ request }) => {
  const scim = scimClient(request, scimFixtures().okta);
  for (const path of [
    "/Users/010101001010101011001010101011",
    "/Groups/010101001010101011001010101011",
    "/Users/00000000-0000-4000-8000-000000000000",
  ]) {
    await expectScimError(await scim.get(path), 404);
  }
  await expectScimError(await scim.patch("/Users/not-an-id", { Operations: [{ op: "replace", value: { active: false } }] }), 404);
  await expectScimError(await scim.delete("/Groups/not-an-id"), 404);
});
