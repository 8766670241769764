import { expect, test } from "@playwright/test";
import { expectScimError, scimClient, scimFixtures, unique } from "../support/scim";

// Authentication, errors, discovery and concurrency of the SCIM endpoint, over HTTP against `next start`.

const user = (userName: string) => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
  userName,
  emails: [{ value: userName, primary: true }],
});

test.describe("authentication", () => {
  test("missing, malformed, unknown and other-org tokens get 401 with a SCIM error", async ({ request }) => {
    const f = scimFixtures();
    for (const authorization of [null, "Bearer", "Bearer not-a-real-token", "Basic dXNlcjpwYXNz", `Bearer ${f.other.token}`]) {
      const res = await scimClient(request, f.api, { authorization }).get("/Users");
      const err = await expectScimError(res, 401);
      if (authorization?.includes(f.other.token)) expect(err.detail).toContain("another organization");
    }
  });

  test("Bearer and bare (Okta's Header mode) tokens are both accepted", async ({ request }) => {
    const f = scimFixtures();
    expect((await scimClient(request, f.api).get("/Users?count=1")).status()).toBe(200);
    expect((await scimClient(request, f.api, { authorization: f.api.token }).get("/Users?count=1")).status()).toBe(200);
    expect((await scimClient(request, f.api, { authorization: `bearer ${f.api.token}` }).get("/Users?count=1")).status()).toBe(200);
  });

  test("an org with SCIM off answers 403 telling the admin how to enable it", async ({ request }) => {
    const err = await expectScimError(await scimClient(request, scimFixtures().disabled).get("/Users"), 403);
    expect(err.detail).toContain("Enable SCIM");
  });
});

test.describe("protocol", () => {
  test("lower-case resource names and trailing slashes work without redirects", async ({ request }) => {
    const scim = scimClient(request, scimFixtures().api);
    for (const path of ["/users?count=1", "/Users/?count=1", "/groups?count=1", "/serviceproviderconfig"]) {
      expect((await scim.get(path)).status(), path).toBe(200);
    }
  });

  test("bad requests get SCIM errors: invalid filter, non-JSON, wrong method, unknown path, too large, If-Match", async ({ request }) => {
    const scim = scimClient(request, scimFixtures().api);
    const bad = await expectScimError(await scim.get(`/Users?filter=${encodeURIComponent('userName eq "x" and')}`), 400, "invalidFilter");
    expect(bad.detail.length).toBeGreaterThan(10);
    await expectScimError(await scim.get(`/Users?filter=${encodeURIComponent('nonsense eq "x"')}`), 400, "invalidFilter");
    await expectScimError(await scim.post("/Users", "this is not json"), 400, "invalidSyntax");
    await expectScimError(await scim.post("/Users", { name: { givenName: "No userName" } }), 400);
    const wrong = await scim.put("/Users", user("x@example.com"));
    await expectScimError(wrong, 405);
    expect(wrong.headers()["allow"]).toBe("GET, POST");
    await expectScimError(await scim.get("/Widgets"), 404);
    await expectScimError(await scim.post("/Users", { ...user("big@example.com"), title: "x".repeat(1_100_000) }), 413);
    await expectScimError(await scim.get("/Users?sortBy=favouriteColour"), 400);

    const created = await (await scim.post("/Users", user(`${unique("etag")}@example.com`))).json();
    await expectScimError(
      await scim.patch(`/Users/${created.id}`, { Operations: [{ op: "replace", path: "title", value: "x" }] }, { "if-match": 'W/"99"' }),
      412,
    );
    const okIfMatch = await scim.patch(
      `/Users/${created.id}`,
      { Operations: [{ op: "replace", path: "title", value: "x" }] },
      { "if-match": 'W/"1"' },
    );
    expect(okIfMatch.status()).toBe(200);
    expect(okIfMatch.headers()["etag"]).toBe('W/"2"');
    expect((await scim.get(`/Users/${created.id}`, { "if-none-match": 'W/"2"' })).status()).toBe(304);
  });

  test("attributes and excludedAttributes shape the response but always keep id, schemas and meta.resourceType", async ({ request }) => {
    const scim = scimClient(request, scimFixtures().api);
    const created = await (
      await scim.post("/Users", { ...user(`${unique("proj")}@example.com`), name: { givenName: "Pat", familyName: "Lee" }, title: "CTO" })
    ).json();
    const only = await (await scim.get(`/Users/${created.id}?attributes=userName,name.givenName`)).json();
    expect(only).toEqual({
      schemas: created.schemas,
      id: created.id,
      userName: created.userName,
      name: { givenName: "Pat" },
      meta: { resourceType: "User" },
    });
    const without = await (await scim.get(`/Users/${created.id}?excludedAttributes=title,groups,emails`)).json();
    expect(without.title).toBeUndefined();
    expect(without.groups).toBeUndefined();
    expect(without.emails).toBeUndefined();
    expect(without.name).toEqual({ givenName: "Pat", familyName: "Lee" });
    expect(without.meta.location).toBeTruthy();
  });

  test("POST /Users/.search and POST /.search take the query in the body", async ({ request }) => {
    const scim = scimClient(request, scimFixtures().api);
    const name = `${unique("search")}@example.com`;
    await scim.post("/Users", user(name));
    const search = {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
      filter: `userName eq "${name}"`,
      startIndex: 1,
      count: 10,
    };
    const users = await (await scim.post("/Users/.search", search)).json();
    expect(users.totalResults).toBe(1);
    const root = await (await scim.post("/.search", search)).json();
    expect(root.totalResults).toBe(1);
    expect(root.Resources[0].userName).toBe(name);
  });

  test("discovery is truthful and has no nulls", async ({ request }) => {
    const scim = scimClient(request, scimFixtures().api);
    const spc = await (await scim.get("/ServiceProviderConfig")).json();
    expect(spc).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 1000 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
    });
    expect(spc.authenticationSchemes[0].type).toBe("oauthbearertoken");
    const types = await (await scim.get("/ResourceTypes")).json();
    expect(types.Resources.map((t: { id: string }) => t.id)).toEqual(["User", "Group"]);
    expect((await (await scim.get("/ResourceTypes/User")).json()).schemaExtensions[0].schema).toBe(
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    );
    const schemasRes = await scim.get("/Schemas");
    const text = await schemasRes.text();
    expect(text).not.toContain("null");
    const schemas = JSON.parse(text);
    expect(schemas.Resources.map((s: { id: string }) => s.id)).toEqual([
      "urn:ietf:params:scim:schemas:core:2.0:User",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
      "urn:ietf:params:scim:schemas:core:2.0:Group",
    ]);
    const one = await (await scim.get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group")).json();
    expect(one.attributes.map((a: { name: string }) => a.name)).toContain("members");
  });
});

test.describe("concurrency", () => {
  test("20 concurrent POSTs of one userName: one 201, nineteen 409, one user", async ({ request }) => {
    const scim = scimClient(request, scimFixtures().api);
    const name = `${unique("race")}@example.com`;
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => scim.post("/Users", user(i % 2 ? name : name.toUpperCase())).then((r) => r.status())),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const found = await (await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}`)).json();
    expect(found.totalResults).toBe(1);
  });

  test("concurrent membership PATCHes on one group lose nothing", async ({ request }) => {
    const scim = scimClient(request, scimFixtures().api);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await (await scim.post("/Users", user(`${unique("member")}@example.com`))).json()).id);
    const group = await (await scim.post("/Groups", { displayName: unique("Busy"), members: [] })).json();
    const statuses = await Promise.all(
      ids.map((id) =>
        scim
          .patch(`/Groups/${group.id}`, {
            Operations: [
              { op: "replace", value: { id: group.id, displayName: group.displayName } },
              { op: "add", path: "members", value: [{ value: id }] },
            ],
          })
          .then((r) => r.status()),
      ),
    );
    expect(statuses.every((s) => s === 204)).toBe(true);
    const members = (await (await scim.get(`/Groups/${group.id}`)).json()).members as { value: string }[];
    expect(members.map((m) => m.value).sort()).toEqual([...ids].sort());
    // Half leave concurrently.
    await Promise.all(
      ids
        .slice(0, 10)
        .map((id) => scim.patch(`/Groups/${group.id}`, { Operations: [{ op: "remove", path: `members[value eq "${id}"]` }] })),
    );
    const after = (await (await scim.get(`/Groups/${group.id}`)).json()).members as { value: string }[];
    expect(after.map((m) => m.value).sort()).toEqual(ids.slice(10).sort());
  });
});
