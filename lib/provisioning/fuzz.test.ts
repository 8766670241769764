import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { call, callRaw, scimOrg, withScimDatabase } from "@/lib/provisioning/test-harness";

// Property-based fuzzing of the SCIM endpoint through its real pipeline (authentication, routing, parsing, SQL):
// generated filters, PATCH bodies, query strings and raw bodies never get a 5xx, never hang, and leave the endpoint
// answering. Bounded: a fixed number of runs per property, each request under a deadline.
withScimDatabase();

const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const DEADLINE_MS = 5_000;

async function answered(res: Promise<Response>): Promise<{ status: number; body: string }> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${DEADLINE_MS} ms`)), DEADLINE_MS));
  const r = await Promise.race([res, timeout]);
  return { status: r.status, body: await r.text() };
}

function expectHandled({ status, body }: { status: number; body: string }, what: unknown) {
  expect(status, `${String(JSON.stringify(what)).slice(0, 500)} → ${status} ${body.slice(0, 300)}`).toBeLessThan(500);
  if (status >= 400) expect(JSON.parse(body).schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
}

const names = fc.constantFrom(
  "userName",
  "displayName",
  "name.givenName",
  "name.familyName",
  "emails",
  "emails.value",
  "emails.type",
  "emails.primary",
  "active",
  "externalId",
  "id",
  "meta.created",
  "meta.lastModified",
  "meta.resourceType",
  "groups",
  "groups.value",
  "members",
  "members.value",
  "title",
  "nickName",
  "password",
  "x",
  "urn:ietf:params:scim:schemas:core:2.0:User:userName",
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
  "urn:x:y",
  'emails[type eq "work"].value',
);
const values = fc.oneof(
  fc.string({ maxLength: 40 }).map((s) => JSON.stringify(s)),
  fc.integer().map(String),
  fc.double({ noNaN: false }).map(String),
  fc.constantFrom(
    "true",
    "false",
    "null",
    '"2026-01-01T00:00:00Z"',
    '"not-a-date"',
    '"00000000-0000-4000-8000-000000000000"',
    "1e999",
    '"\\u0000"',
  ),
);
const comparison = fc
  .tuple(names, fc.constantFrom("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr", "xx", "EQ"), values)
  .map(([n, op, v]) => (op === "pr" ? `${n} pr` : `${n} ${op} ${v}`));
const filter: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    comparison,
    fc.tuple(tie("f"), fc.constantFrom("and", "or", "AND"), tie("f")).map(([a, op, b]) => `${a} ${op} ${b}`),
    tie("f").map((x) => `not (${x})`),
    tie("f").map((x) => `(${x})`),
    fc.tuple(fc.constantFrom("emails", "members", "groups", "name"), tie("f")).map(([n, x]) => `${n}[${x}]`),
  ),
})).f;
const anyFilter = fc.oneof(filter, fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 100 }));

const patchOp = fc.record(
  {
    op: fc.oneof(fc.constantFrom("add", "replace", "remove", "Add", "REPLACE"), fc.string({ maxLength: 8 })),
    path: fc.oneof(
      names,
      filter.map((f) => `emails[${f}]`),
      fc.string({ maxLength: 30 }),
      fc.constant(undefined),
    ),
    value: fc.oneof(fc.anything({ maxDepth: 3 }), fc.record({ active: fc.boolean(), displayName: fc.string() }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);
const patchBody = fc.oneof(
  fc.record({ schemas: fc.constant(["urn:ietf:params:scim:api:messages:2.0:PatchOp"]), Operations: fc.array(patchOp, { maxLength: 12 }) }),
  fc.anything({ maxDepth: 3 }),
);

const queryParam = fc.oneof(
  fc.integer().map(String),
  fc.string({ maxLength: 30 }),
  fc.constantFrom("99999999999999999999", "-1", "1e400", "NaN", ""),
);
const query = fc
  .record(
    {
      startIndex: queryParam,
      count: queryParam,
      sortBy: fc.oneof(names, fc.string({ maxLength: 20 })),
      sortOrder: fc.oneof(fc.constantFrom("ascending", "descending"), fc.string({ maxLength: 10 })),
      attributes: fc.array(names, { maxLength: 5 }).map((a) => a.join(",")),
      excludedAttributes: fc.array(names, { maxLength: 5 }).map((a) => a.join(",")),
      filter: anyFilter,
    },
    { requiredKeys: [] },
  )
  .map((q) => new URLSearchParams(q as Record<string, string>).toString());

describe("SCIM endpoint fuzzing", () => {
  it("generated filters and query strings on /Users and /Groups: never a 5xx", async () => {
    const a = await scimOrg();
    await fc.assert(
      fc.asyncProperty(query, fc.constantFrom("/Users", "/Groups"), async (q, resource) => {
        expectHandled(await answered(call(a.orgId, a.token, "GET", `${resource}?${q}`)), q);
      }),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(anyFilter, async (f) => {
        expectHandled(await answered(call(a.orgId, a.token, "POST", "/Users/.search", { filter: f, count: 5 })), f);
      }),
      { numRuns: RUNS },
    );
  });

  it("generated PATCH bodies on a user and a group: never a 5xx", async () => {
    const a = await scimOrg();
    const user = (await (await call(a.orgId, a.token, "POST", "/Users", { userName: "fuzz@example.com" })).json()) as { id: string };
    const group = (await (await call(a.orgId, a.token, "POST", "/Groups", { displayName: "Fuzz" })).json()) as { id: string };
    await fc.assert(
      fc.asyncProperty(patchBody, fc.constantFrom(`/Users/${user.id}`, `/Groups/${group.id}`), async (body, path) => {
        expectHandled(await answered(call(a.orgId, a.token, "PATCH", path, body)), body);
      }),
      { numRuns: RUNS },
    );
    expect((await call(a.orgId, a.token, "GET", `/Users/${user.id}`)).status).toBe(200);
  });

  it("raw bodies (any text, any bytes) on POST, PUT and PATCH: never a 5xx, and the endpoint still answers", async () => {
    const a = await scimOrg();
    const user = (await (await call(a.orgId, a.token, "POST", "/Users", { userName: "raw@example.com" })).json()) as { id: string };
    const raw = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.json({ maxDepth: 4 }),
      fc.uint8Array({ maxLength: 300 }).map((b) => new TextDecoder().decode(b)),
    );
    const target = fc.constantFrom<[string, string]>(
      ["POST", "/Users"],
      ["POST", "/Groups"],
      ["PUT", `/Users/${user.id}`],
      ["PATCH", `/Users/${user.id}`],
    );
    await fc.assert(
      fc.asyncProperty(raw, target, async (text, [method, path]) => {
        expectHandled(await answered(callRaw(a.orgId, a.token, method, path, text)), text);
      }),
      { numRuns: RUNS },
    );
    expect((await call(a.orgId, a.token, "GET", "/Users?count=1")).status).toBe(200);
  });
});
