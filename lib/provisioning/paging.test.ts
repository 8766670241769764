import { describe, expect, it } from "vitest";
import { call, scimOrg, withScimDatabase } from "@/lib/provisioning/test-harness";

// List totals and the userName lookup.
withScimDatabase();

describe("list totals", () => {
  it("are exact whether they come from the page itself, the counter or a count", async () => {
    const a = await scimOrg();
    for (let i = 1; i <= 5; i++) {
      const res = await call(a.orgId, a.token, "POST", "/Users", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: `total${i}@example.com`,
        active: true,
      });
      expect(res.status).toBe(201);
    }
    await call(a.orgId, a.token, "POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Totals A" });
    await call(a.orgId, a.token, "POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Totals B" });
    const list = async (path: string) => {
      const res = await call(a.orgId, a.token, "GET", path);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { totalResults: number; itemsPerPage: number; startIndex: number };
      return [body.totalResults, body.itemsPerPage];
    };
    const f = (s: string) => `filter=${encodeURIComponent(s)}`;
    expect(await list("/Users?startIndex=1&count=2")).toEqual([5, 2]); // full page: counted
    expect(await list("/Users?startIndex=5&count=2")).toEqual([5, 1]); // partial last page: from the page
    expect(await list("/Users?startIndex=6&count=2")).toEqual([5, 0]); // past the end: counted
    expect(await list("/Users?startIndex=1&count=0")).toEqual([5, 0]);
    expect(await list(`/Users?${f('userName eq "total3@example.com"')}`)).toEqual([1, 1]);
    expect(await list(`/Users?${f('userName eq "nobody@example.com"')}`)).toEqual([0, 0]);
    expect(await list(`/Users?${f('userName sw "total"')}&count=2`)).toEqual([5, 2]);
    expect(await list(`/Users?${f('userName sw "total"')}&startIndex=4&count=10`)).toEqual([5, 2]);
    expect(await list(`/Users?${f('userName sw "total"')}&startIndex=9&count=10`)).toEqual([5, 0]);
    expect(await list("/Groups?count=1")).toEqual([2, 1]);
    expect(await list("/Groups")).toEqual([2, 2]);
    expect(await list(`/Groups?${f('displayName eq "Totals B"')}`)).toEqual([1, 1]);
    expect(await list("/Groups?startIndex=3")).toEqual([2, 0]);
  });

  it("the prepared userName lookup answers exactly what the general filter path does", async () => {
    const a = await scimOrg();
    const created = await call(a.orgId, a.token, "POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "Mixed.Case@Example.com",
      name: { givenName: "M" },
    });
    expect(created.status).toBe(201);
    const get = async (path: string) => {
      const res = await call(a.orgId, a.token, "GET", path);
      expect(res.status).toBe(200);
      return (await res.json()) as { totalResults: number; Resources: { userName: string }[] };
    };
    const f = (s: string) => encodeURIComponent(s);
    for (const filter of [
      'userName eq "mixed.case@example.com"',
      'USERNAME eq "MIXED.CASE@EXAMPLE.COM"',
      'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "Mixed.Case@Example.com"',
      'userName eq "nobody@example.com"',
    ]) {
      const fast = await get(`/Users?filter=${f(filter)}&count=1`);
      const general = await get(`/Users?filter=${f(filter)}&count=1&sortBy=id`); // sortBy takes the general path
      expect(fast).toEqual(general);
      expect(fast.totalResults).toBe(filter.includes("nobody") ? 0 : 1);
    }
    const excluded = await get(`/Users?filter=${f('userName eq "mixed.case@example.com"')}&excludedAttributes=groups`);
    expect(excluded.Resources[0]).not.toHaveProperty("groups");
    expect((await get(`/Users?filter=${f('userName eq "mixed.case@example.com"')}&startIndex=2`)).totalResults).toBe(1);
  });
});

describe("a user's groups", () => {
  it("come with GET /Users/{id}, the userName lookup and a list page — each read path (prepared, built, raw) — and only the user's own", async () => {
    const a = await scimOrg();
    const post = async (path: string, body: Record<string, unknown>) =>
      (await (await call(a.orgId, a.token, "POST", path, body)).json()) as { id: string };
    const ann = await post("/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "ann.groups@example.com" });
    const bob = await post("/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "bob.groups@example.com" });
    const eng = await post("/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Eng",
      members: [{ value: ann.id }],
    });
    await post("/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Ops", members: [{ value: bob.id }] });
    const groupsOf = (u: { groups?: { value: string; display: string }[] }) => (u.groups ?? []).map((g) => [g.value, g.display]);
    const get = async (path: string) =>
      (await (await call(a.orgId, a.token, "GET", path)).json()) as Record<string, unknown> & { Resources: unknown[] };
    expect(groupsOf((await get(`/Users/${ann.id}`)) as never)).toEqual([[eng.id, "Eng"]]);
    const byName = await get(`/Users?filter=${encodeURIComponent('userName eq "ann.groups@example.com"')}`);
    expect(groupsOf(byName.Resources[0] as never)).toEqual([[eng.id, "Eng"]]);
    const page = await get(`/Users?filter=${encodeURIComponent('userName sw "ann.groups"')}`);
    expect(groupsOf(page.Resources[0] as never)).toEqual([[eng.id, "Eng"]]);
    const patched = (await (
      await call(a.orgId, a.token, "PATCH", `/Users/${ann.id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "replace", path: "displayName", value: "Ann" }],
      })
    ).json()) as never;
    expect(groupsOf(patched)).toEqual([[eng.id, "Eng"]]);
  });
});
