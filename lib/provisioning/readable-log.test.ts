import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { oauthGrants, oauthTokens, provisioningActivity, provisioningEventPeople, provisioningEvents, stackRoles } from "@/db/schema";
import { saveMapping } from "@/lib/access/mappings";
import { SYSTEM_ACTOR } from "@/lib/audit/record";
import { hashSecret, newSecret } from "@/lib/auth/secrets";
import { getEnv } from "@/lib/env";
import { DEV_OKTA_CLIENT_ID } from "@/lib/oauth/clients";
import { createStack } from "@/lib/stacks/create-stack";
import { activity } from "./activity";
import { flushProvisioningLog, recentEvents } from "./log";
import { personEvents } from "./queries";
import { LOG_REQUEST_MAX } from "./redact";
import { call, h, scimOrg, withScimDatabase } from "./test-harness";

// The provisioning log, readable: each event's sentence, its credential's name, the bodies as sent (the answer too),
// a person's history (group changes and mapping saves included) and the hourly activity counters.
withScimDatabase();

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

async function sentences(orgId: string, n: number) {
  await flushProvisioningLog();
  return (await recentEvents(h.db, orgId, n)).map((e) => e.summary).reverse();
}

describe("the provisioning log, readable", () => {
  it("says what each user request did, naming the person", async () => {
    const a = await scimOrg();
    const alice = await json<{ id: string }>(
      await call(a.orgId, a.token, "POST", "/Users", { userName: "alice@example.org", emails: [{ value: "alice@example.org" }] }),
    );
    await call(a.orgId, a.token, "POST", "/Users", { userName: "ALICE@example.org" });
    await call(a.orgId, a.token, "PATCH", `/Users/${alice.id}`, { Operations: [{ op: "replace", value: { active: false } }] });
    await call(a.orgId, a.token, "PATCH", `/Users/${alice.id}`, { Operations: [{ op: "replace", value: { active: true } }] });
    await call(a.orgId, a.token, "PUT", `/Users/${alice.id}`, { userName: "alice@example.org", displayName: "Alice A." });
    await call(a.orgId, a.token, "PUT", `/Users/${alice.id}`, { userName: "alice@example.org", displayName: "Alice A." });
    await call(a.orgId, a.token, "GET", `/Users?filter=${encodeURIComponent('userName eq "alice@example.org"')}`);
    await call(a.orgId, a.token, "GET", `/Users?filter=${encodeURIComponent('userName eq "nobody@example.org"')}`);
    await call(a.orgId, a.token, "GET", `/Users/${alice.id}`);
    await call(a.orgId, a.token, "PATCH", `/Users/${alice.id}`, { Operations: [{ op: "replace", path: "active", value: "maybe" }] });
    await call(a.orgId, a.token, "DELETE", `/Users/${alice.id}`);
    await call(a.orgId, a.token, "GET", "/ServiceProviderConfig");
    expect(await sentences(a.orgId, 12)).toEqual([
      "Created alice@example.org — joined as Member",
      "Refused to create ALICE@example.org: userName already taken",
      "Deactivated alice@example.org — removed from the organization",
      "Reactivated alice@example.org — rejoined as Member",
      "Updated alice@example.org",
      "No change to alice@example.org",
      'Looked up users where userName eq "alice@example.org" — 1 match',
      'Looked up users where userName eq "nobody@example.org" — no match',
      "Read alice@example.org",
      expect.stringMatching(/^Refused to update user [0-9a-f-]{36}: .+/),
      "Deleted alice@example.org — removed from the organization",
      "Read the service provider configuration",
    ]);
  });

  it("says what each group request did, with member counts and renames", async () => {
    const a = await scimOrg();
    const ids: string[] = [];
    for (const n of ["g1", "g2", "g3"])
      ids.push((await json<{ id: string }>(await call(a.orgId, a.token, "POST", "/Users", { userName: `${n}@example.org` }))).id);
    const eng = await json<{ id: string }>(await call(a.orgId, a.token, "POST", "/Groups", { displayName: "Eng", members: [] }));
    const patch = (Operations: unknown[]) => call(a.orgId, a.token, "PATCH", `/Groups/${eng.id}`, { Operations });
    await patch([{ op: "replace", value: { id: eng.id, displayName: "Engineering" } }]);
    await patch([{ op: "replace", value: { id: eng.id, displayName: "Engineering" } }]); // Okta's rename before every change
    await patch([{ op: "add", path: "members", value: ids.slice(0, 2).map((value) => ({ value })) }]);
    await patch([{ op: "remove", path: `members[value eq "${ids[0]}"]` }]);
    await patch([
      { op: "add", path: "members", value: [{ value: ids[2] }] },
      { op: "remove", path: `members[value eq "${ids[1]}"]` },
    ]);
    await call(a.orgId, a.token, "PUT", `/Groups/${eng.id}`, { displayName: "Engineering", members: ids.map((value) => ({ value })) });
    await call(a.orgId, a.token, "POST", "/Groups", { displayName: "engineering" });
    await call(a.orgId, a.token, "POST", "/Groups", { displayName: "Sales", members: [{ value: ids[0] }] });
    await call(a.orgId, a.token, "DELETE", `/Groups/${eng.id}`);
    expect(await sentences(a.orgId, 10)).toEqual([
      "Created group Eng",
      "Renamed group Eng → Engineering",
      "No change to group Engineering",
      "Added 2 members to Engineering",
      "Removed 1 member from Engineering",
      "Added 1 member to and removed 1 from Engineering",
      "Added 2 members to Engineering",
      "Refused to create engineering: displayName already taken",
      "Created group Sales with 1 member",
      "Deleted group Engineering",
    ]);
  });

  it("names the credential, keeps the body's key order and stores the answer, bounded", async () => {
    const a = await scimOrg();
    const body = {
      userName: "order@example.org",
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      active: true,
      name: { zeta: "z", alpha: "a" },
    };
    const created = await json<{ id: string }>(await call(a.orgId, a.token, "POST", "/Users", body));
    for (let i = 0; i < 30; i++) await call(a.orgId, a.token, "POST", "/Users", { userName: `bulk${i}.${"x".repeat(200)}@example.org` });
    await call(a.orgId, a.token, "GET", "/Users?count=100");
    await flushProvisioningLog();
    const [list, ...rest] = await recentEvents(h.db, a.orgId, 40);
    const post = rest.at(-1)!;
    expect(post.credentialName).toBe("test");
    expect(Object.keys(post.requestBody as object)).toEqual(["userName", "schemas", "active", "name"]);
    expect(Object.keys((post.requestBody as { name: object }).name)).toEqual(["zeta", "alpha"]);
    expect(post.request).toBeNull(); // the jsonb column is for rows from before 0007
    expect((post.responseBody as { id: string }).id).toBe(created.id);
    expect(Object.keys(post.responseBody as object).slice(0, 2)).toEqual(["schemas", "id"]);
    // A 31-person list answer keeps its first resources and a count, within the bound.
    expect(JSON.stringify(list!.responseBody).length).toBeLessThanOrEqual(LOG_REQUEST_MAX);
    const resources = (list!.responseBody as { Resources: unknown[] }).Resources;
    expect(resources).toHaveLength(6);
    expect(resources.at(-1)).toBe("… and 26 more");
    expect(list!.summary).toBe("Listed users: 31 of 31");
  });

  it("names an OAuth app by its configured name (its client id once it is no longer configured)", async () => {
    const a = await scimOrg();
    const tokenFor = async (clientId: string) => {
      const [grant] = await h.db.insert(oauthGrants).values({ orgId: a.orgId, clientId, scope: "scim:read scim:write" }).returning();
      const access = newSecret("at_");
      await h.db
        .insert(oauthTokens)
        .values({ tokenHash: hashSecret(access), grantId: grant!.id, kind: "access", expiresAt: new Date(Date.now() + 3600_000) });
      return access;
    };
    await call(a.orgId, await tokenFor(DEV_OKTA_CLIENT_ID), "GET", "/Groups");
    await call(a.orgId, await tokenFor("gone-client"), "GET", "/Groups");
    await flushProvisioningLog();
    const [gone, okta] = await recentEvents(h.db, a.orgId, 2);
    expect(okta).toMatchObject({
      credentialKind: "oauth",
      credentialName: getEnv().oauthClients.find((c) => c.id === DEV_OKTA_CLIENT_ID)!.name,
    });
    expect(gone!.credentialName).toBe("gone-client");
  });

  it("lists every event that touched a person on their page: group membership changes and mapping saves too", async () => {
    const a = await scimOrg();
    const bob = await json<{ id: string }>(await call(a.orgId, a.token, "POST", "/Users", { userName: "bob@example.org" }));
    const other = await json<{ id: string }>(await call(a.orgId, a.token, "POST", "/Users", { userName: "carol@example.org" }));
    const eng = await json<{ id: string }>(await call(a.orgId, a.token, "POST", "/Groups", { displayName: "Engineering" }));
    await call(a.orgId, a.token, "PATCH", `/Groups/${eng.id}`, {
      Operations: [{ op: "add", path: "members", value: [{ value: bob.id }, { value: other.id }] }],
    });
    const stack = await createStack(h.db, SYSTEM_ACTOR, a.orgId, "Docs");
    const [dev] = await h.db
      .select()
      .from(stackRoles)
      .where(and(eq(stackRoles.stackId, stack!.id), eq(stackRoles.name, "Developer")));
    await saveMapping(
      h.db,
      { kind: "web", accountId: a.ownerAccountId, email: "mapper@example.com", ip: null, userAgent: null },
      a.orgId,
      { groupId: eng.id, orgRole: "admin", stackRoles: { [stack!.id]: dev!.id } },
      a.ownerAccountId,
    );
    await call(a.orgId, a.token, "PATCH", `/Groups/${eng.id}`, { Operations: [{ op: "remove", path: `members[value eq "${bob.id}"]` }] });
    await call(a.orgId, a.token, "PATCH", `/Groups/${eng.id}`, { Operations: [{ op: "remove", path: `members[value eq "${other.id}"]` }] });
    await flushProvisioningLog();

    const history = await personEvents(h.db, a.orgId, bob.id);
    expect(history.map((e) => e.summary)).toEqual([
      "Removed 1 member from Engineering — 1 became Member; 1 lost Developer on Docs",
      "Mapped group Engineering to Admin — 2 became Admin; 2 gained Developer on Docs",
      "Added 2 members to Engineering",
      "Created bob@example.org — joined as Member",
    ]);
    const mapping = history[1]!;
    expect(mapping).toMatchObject({ method: "MAPPING", credentialKind: null, resourceId: eng.id });
    expect(mapping.credentialName).toBe("mapper@example.com"); // who saved it, as the audit trail names them
    // Carol's removal is hers alone.
    expect((await personEvents(h.db, a.orgId, other.id)).map((e) => e.summary)[0]).toMatch(/^Removed 1 member from Engineering/);
  });

  it("counts requests and errors per org and hour, as the events say, and keeps orgs apart", async () => {
    const [a, b] = [await scimOrg(), await scimOrg()];
    for (let i = 0; i < 5; i++) await call(a.orgId, a.token, "GET", "/Users");
    await call(a.orgId, a.token, "GET", "/Users/not-an-id");
    await call(a.orgId, a.token, "POST", "/Users", { userName: "" });
    await call(b.orgId, b.token, "GET", "/Groups");
    await call(b.orgId, a.token, "GET", "/Groups"); // a's token on b's URL: 401, not attributable to either
    await flushProvisioningLog();
    const counted = async (orgId: string) => {
      const events = await h.db.select().from(provisioningEvents).where(eq(provisioningEvents.orgId, orgId));
      const rows = await h.db.select().from(provisioningActivity).where(eq(provisioningActivity.orgId, orgId));
      const sum = rows.reduce((s, r) => ({ requests: s.requests + r.requests, errors: s.errors + r.errors }), { requests: 0, errors: 0 });
      return { sum, events: { requests: events.length, errors: events.filter((e) => e.status >= 400).length } };
    };
    const ca = await counted(a.orgId);
    expect(ca.sum).toEqual({ requests: 7, errors: 2 });
    expect(ca.sum).toEqual(ca.events);
    expect((await counted(b.orgId)).sum).toEqual({ requests: 1, errors: 0 });

    const hours = await activity(h.db, a.orgId, "24h");
    expect(hours).toHaveLength(24);
    expect(hours.at(-1)).toMatchObject({ requests: 7, errors: 2 });
    expect(hours.slice(0, -1).every((x) => x.requests === 0)).toBe(true);
    const days = await activity(h.db, a.orgId, "30d");
    expect(days).toHaveLength(30);
    expect(days.at(-1)).toMatchObject({ requests: 7, errors: 2 });
    expect(days.at(-1)!.end.getTime() - days.at(-1)!.start.getTime()).toBe(86_400_000);
  });

  it("keeps the people named by an event with it, and no other org sees them", async () => {
    const [a, b] = [await scimOrg(), await scimOrg()];
    const dee = await json<{ id: string }>(await call(a.orgId, a.token, "POST", "/Users", { userName: "dee@example.org" }));
    await call(a.orgId, a.token, "POST", "/Groups", { displayName: "Ops", members: [{ value: dee.id }] });
    await flushProvisioningLog();
    const [named] = await h.db.select().from(provisioningEventPeople).where(eq(provisioningEventPeople.userId, dee.id));
    expect(named).toMatchObject({ orgId: a.orgId });
    expect(await personEvents(h.db, b.orgId, dee.id)).toEqual([]);
    const [event] = await h.db
      .select()
      .from(provisioningEvents)
      .where(eq(provisioningEvents.id, named!.eventId))
      .orderBy(desc(provisioningEvents.id));
    expect(event!.summary).toBe("Created group Ops with 1 member");
  });
});
