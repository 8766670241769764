// npm run bench:mapping — a group mapping change on the big group of a large org, timed step by step and repeated:
// the preview, the save (Member + Developer → Admin + Admin) and back, each `--rounds` times. Quicker than the whole
// `npm run bench` when only the mapping path moves. PostgreSQL from DATABASE_URL (required); `--reuse ORG` measures
// an org seeded by an earlier run (its id is printed) instead of seeding another.
import { parseArgs } from "node:util";
import { and, eq, sql } from "drizzle-orm";
import { openDatabase, queryRows } from "@/db/client";
import { memberships, scimGroups, stackRoles, stacks } from "@/db/schema";
import { previewMapping, saveMapping } from "@/lib/access/mappings";
import { SYSTEM_ACTOR } from "@/lib/audit/record";
import { parseEnv } from "@/lib/env";
import { seedBenchOrg } from "./seed";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "1000000" },
    groups: { type: "string", default: "10000" },
    rounds: { type: "string", default: "3" },
    reuse: { type: "string" },
  },
});
if (!process.env.DATABASE_URL) throw new Error("DATABASE_URL is required (a PostgreSQL database to seed)");
// The bulk seed's statements run for about a minute each at 1,000,000 users: no statement timeout.
const handle = await openDatabase({ env: parseEnv({ ...process.env, DATABASE_STATEMENT_TIMEOUT_MS: "0" }), role: "bench seed" });
const db = handle.db;
let orgId = values.reuse;
let bigGroupId: string;
if (!orgId) {
  const org = await seedBenchOrg(db, Number(values.users), Number(values.groups), console.log);
  orgId = org.orgId;
  bigGroupId = org.bigGroupId;
  console.log(`Seeded org ${orgId}`);
} else {
  const [g] = await db
    .select({ id: scimGroups.id })
    .from(scimGroups)
    .where(and(eq(scimGroups.orgId, orgId), eq(scimGroups.displayName, "Group 1")));
  bigGroupId = g!.id;
}
const [stack] = await db.select().from(stacks).where(eq(stacks.orgId, orgId));
const roles = await db.select().from(stackRoles).where(eq(stackRoles.stackId, stack!.id));
const role = (n: string) => roles.find((r) => r.name === n)!.id;
const [owner] = await db
  .select({ id: memberships.accountId })
  .from(memberships)
  .where(and(eq(memberships.orgId, orgId), eq(memberships.role, "owner")));
const toAdmin = { groupId: bigGroupId, orgRole: "admin" as const, stackRoles: { [stack!.id]: role("Admin") } };
const back = { groupId: bigGroupId, orgRole: "member" as const, stackRoles: { [stack!.id]: role("Developer") } };
const secs = (t: number) => ((performance.now() - t) / 1000).toFixed(2);
const [big] = await queryRows<{ size: number }>(db, sql`select member_count as size from scim_groups where id = ${bigGroupId}::uuid`);
const size = big!.size;
console.log(`Org ${orgId}, big group of ${size.toLocaleString("en-US")} members`);
for (let i = 0; i < Number(values.rounds); i++) {
  let t = performance.now();
  const p = await previewMapping(db, orgId, toAdmin);
  const preview = secs(t);
  t = performance.now();
  const c = await saveMapping(db, SYSTEM_ACTOR, orgId, toAdmin, owner!.id);
  const save = secs(t);
  t = performance.now();
  const pb = await previewMapping(db, orgId, back);
  const previewBack = secs(t);
  t = performance.now();
  const b = await saveMapping(db, SYSTEM_ACTOR, orgId, back, owner!.id);
  console.log(
    `round ${i + 1}: preview ${preview} s (${p.affected} affected), save ${save} s (${c.roleChanges} roles, ${c.stackGrants} grants, ${c.stackRevocations} revocations); ` +
      `preview back ${previewBack} s (${pb.affected}), back ${secs(t)} s (${b.roleChanges}, ${b.stackGrants}, ${b.stackRevocations})`,
  );
}
await handle.close();
