import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { createOrganization } from "@/lib/orgs/create-organization";
import { setScimEnabled } from "@/lib/orgs/set-scim-enabled";
import { SYSTEM_ACTOR } from "@/lib/audit/record";
import { createScimToken } from "@/lib/credentials/scim-tokens";
import { createStack } from "@/lib/stacks/create-stack";

export type BenchOrg = {
  orgId: string;
  token: string;
  bigGroupId: string;
  smallGroupId: string;
  sampleIds: string[];
  sampleUserNames: string[];
  outsiders: string[];
};

/**
 * Builds a benchmark organization in a few set-based statements (generate_series inside the database):
 * `users` SCIM users with accounts and memberships, `groups` groups — one with 100,000 members (or all users
 * when fewer), one with 100 — both mapped to an org role and a stack role, the rest with about 10 members each.
 */
export async function seedBenchOrg(db: Db, users: number, groups: number, log: (s: string) => void): Promise<BenchOrg> {
  const run = Date.now().toString(36);
  const ownerEmail = `bench-owner-${run}@bench.example.com`;
  const { org, ownerAccountId } = await createOrganization(db, { name: `Bench ${run}`, ownerEmail, ownerPassword: "bench-password" });
  await setScimEnabled(db, org.id, true, { kind: "web", accountId: ownerAccountId, email: ownerEmail, ip: null, userAgent: null });
  const { token } = await createScimToken(db, SYSTEM_ACTOR, { orgId: org.id, name: "bench" });
  const stack = await db.transaction((tx) => createStack(tx, SYSTEM_ACTOR, org.id, "Bench stack"));
  const domain = `${run}.bench.example.com`;
  const step = async (label: string, q: ReturnType<typeof sql>) => {
    const t0 = Date.now();
    await db.execute(q);
    log(`  ${label} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  };
  log(`Seeding ${users.toLocaleString("en-US")} users and ${groups.toLocaleString("en-US")} groups in org ${org.id}…`);
  await step(
    "accounts",
    sql`insert into accounts (email, name) select 'user' || g || '@' || ${domain}, 'Bench User ' || g from generate_series(1, ${users}::int) g`,
  );
  await step(
    "scim users",
    sql`insert into scim_users (org_id, account_id, user_name, external_id, active, display_name, given_name, family_name, primary_email, email_values, resource)
        select ${org.id}, a.id, a.email, 'ext-' || a.email, true, a.name, 'Bench', 'User ' || split_part(a.name, ' ', 3), a.email, array[a.email],
          jsonb_build_object('userName', a.email, 'externalId', 'ext-' || a.email, 'active', true, 'displayName', a.name,
            'name', jsonb_build_object('givenName', 'Bench', 'familyName', 'User ' || split_part(a.name, ' ', 3)),
            'emails', jsonb_build_array(jsonb_build_object('value', a.email, 'type', 'work', 'primary', true)))
        from accounts a where a.email like ${"%@" + domain} order by a.email`,
  );
  await step(
    "memberships",
    sql`insert into memberships (org_id, account_id, role, scim_managed) select ${org.id}, account_id, 'member', true from scim_users where org_id = ${org.id}`,
  );
  await step(
    "groups",
    sql`insert into scim_groups (org_id, display_name, resource) select ${org.id}, 'Group ' || g, '{}'::jsonb from generate_series(1, ${groups}::int) g`,
  );
  const [ids] = await queryRows<{ big: string; small: string }>(
    db,
    sql`select (select id from scim_groups where org_id = ${org.id} and display_name = 'Group 1') as big,
               (select id from scim_groups where org_id = ${org.id} and display_name = 'Group 2') as small`,
  );
  const bigSize = Math.min(100_000, Math.floor(users / 2));
  await step(
    `group members (one of ${bigSize.toLocaleString("en-US")}, one of 100, ~10 in the others)`,
    sql`with u as (select id, row_number() over (order by seq) as rn from scim_users where org_id = ${org.id}),
             g as (select id, row_number() over (order by seq) as gn from scim_groups where org_id = ${org.id})
        insert into scim_group_members (org_id, group_id, user_id)
        select ${org.id}, ${ids!.big}::uuid, id from u where rn <= ${bigSize}
        union all select ${org.id}, ${ids!.small}::uuid, id from u where rn > ${users - 200} and rn <= ${users - 100}
        union all select ${org.id}, g.id, u.id from u join g on g.gn > 2 and u.rn % ${Math.max(1, groups - 2)} = g.gn - 3
          where u.rn > ${users - Math.min(users, 10 * groups)}`,
  );
  await step(
    "member counts",
    sql`update scim_groups g set member_count = c.n from (select group_id, count(*)::int n from scim_group_members where org_id = ${org.id} group by group_id) c where c.group_id = g.id`,
  );
  const developer = (
    await queryRows<{ id: string }>(db, sql`select id from stack_roles where stack_id = ${stack.id} and name = 'Developer'`)
  )[0]!.id;
  await step(
    "mappings (both groups → Member + Developer)",
    sql`with m as (insert into group_mappings (group_id, org_id, org_role) values (${ids!.big}::uuid, ${org.id}, 'member'), (${ids!.small}::uuid, ${org.id}, 'member') returning group_id)
        insert into group_mapping_stack_roles (group_id, org_id, stack_id, stack_role_id) select group_id, ${org.id}, ${stack.id}, ${developer}::uuid from m`,
  );
  await step(
    "resource counts",
    sql`insert into scim_resource_counts (org_id, resource, shard, n)
        select ${org.id}, 'User', 0, count(*) from scim_users where org_id = ${org.id}
        union all select ${org.id}, 'Group', 0, count(*) from scim_groups where org_id = ${org.id}`,
  );
  // The steady state of a table after a bulk import (what autovacuum brings a few minutes later).
  await step("vacuum analyze", sql`vacuum analyze`);
  const sample = await queryRows<{ id: string; user_name: string }>(
    db,
    sql`select id, user_name from scim_users where org_id = ${org.id} and seq % ${Math.max(1, Math.floor(users / 2000))} = 0 limit 2000`,
  );
  // Users in neither measured group, to add to and remove from them.
  const outsiders = await queryRows<{ id: string }>(
    db,
    sql`select u.id from scim_users u where u.org_id = ${org.id} and not exists (select 1 from scim_group_members m where m.user_id = u.id and m.group_id in (${ids!.big}::uuid, ${ids!.small}::uuid)) limit 4000`,
  );
  return {
    orgId: org.id,
    token,
    bigGroupId: ids!.big,
    smallGroupId: ids!.small,
    sampleIds: sample.map((s) => s.id),
    sampleUserNames: sample.map((s) => s.user_name),
    outsiders: outsiders.map((o) => o.id),
  };
}
