import { and, asc, count, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { containsPattern } from "@/db/sql";
import { accounts, memberships, organizations, scimUsers, ssoConnections, stackRoles, stacks, type OrgRole } from "@/db/schema";
import { stackPeople } from "@/lib/access/grants";

export type OrgOfAccount = { id: string; name: string; role: OrgRole; sso: boolean; requireSso: boolean };

/** The organizations an account belongs to, with its role in each (highest role first, then by name) and their SSO. */
export async function orgsOfAccount(db: DbOrTx, accountId: string): Promise<OrgOfAccount[]> {
  return db
    .select({
      id: organizations.id,
      name: organizations.name,
      role: memberships.role,
      sso: sql<boolean>`${ssoConnections.orgId} is not null`,
      requireSso: sql<boolean>`coalesce(${ssoConnections.requireSso}, false)`,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .leftJoin(ssoConnections, eq(ssoConnections.orgId, memberships.orgId))
    .where(eq(memberships.accountId, accountId))
    .orderBy(sql`case ${memberships.role} when 'owner' then 0 when 'admin' then 1 else 2 end`, asc(organizations.name));
}

export type OrgSummary = { id: string; name: string; createdAt: Date; scimEnabled: boolean; ownerEmail: string | null; members: number };

/** Every organization with its owner and member count, for the admin CLI. */
export async function listOrganizations(db: DbOrTx): Promise<OrgSummary[]> {
  const owner = db
    .select({ orgId: memberships.orgId, email: accounts.email })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(eq(memberships.role, "owner"))
    .as("owner");
  const rows = await db
    .select({
      id: organizations.id,
      name: organizations.name,
      createdAt: organizations.createdAt,
      scimEnabled: organizations.scimEnabled,
      ownerEmail: owner.email,
      members: sql<number>`(select count(*) from ${memberships} m where m.org_id = ${organizations.id})::int`,
    })
    .from(organizations)
    .leftJoin(owner, eq(owner.orgId, organizations.id))
    .orderBy(asc(organizations.createdAt), asc(organizations.id));
  return rows;
}

export async function getOrganization(db: DbOrTx, orgId: string) {
  const [org] = await db.select().from(organizations).where(eq(organizations.id, orgId)).limit(1);
  return org;
}

export type MemberRow = {
  accountId: string;
  email: string;
  name: string;
  role: OrgRole;
  scimManaged: boolean;
  joinedAt: Date;
  /** The person's SCIM user in the org, when the IdP provisioned them (its page is /org-admin/scim/users/{id}). */
  scimUserId: string | null;
};

export const MEMBERS_PAGE_SIZE = 50;

/** One page of an org's members (owner first, then admins, then by email), with the total. */
export async function listMembers(
  db: DbOrTx,
  orgId: string,
  opts: { page: number; query?: string },
): Promise<{ rows: MemberRow[]; total: number }> {
  const q = opts.query?.trim() ? containsPattern(opts.query) : undefined;
  const where = q
    ? and(eq(memberships.orgId, orgId), sql`(lower(${accounts.email}) like ${q} or lower(${accounts.name}) like ${q})`)
    : eq(memberships.orgId, orgId);
  const [rows, [totalRow]] = await Promise.all([
    db
      .select({
        accountId: accounts.id,
        email: accounts.email,
        name: accounts.name,
        role: memberships.role,
        scimManaged: memberships.scimManaged,
        joinedAt: memberships.createdAt,
        scimUserId: sql<
          string | null
        >`(select su.id from ${scimUsers} su where su.org_id = memberships.org_id and su.account_id = memberships.account_id)`,
      })
      .from(memberships)
      .innerJoin(accounts, eq(accounts.id, memberships.accountId))
      .where(where)
      .orderBy(sql`case ${memberships.role} when 'owner' then 0 when 'admin' then 1 else 2 end`, asc(sql`lower(${accounts.email})`))
      .limit(MEMBERS_PAGE_SIZE)
      .offset((Math.max(1, opts.page) - 1) * MEMBERS_PAGE_SIZE),
    db.select({ n: count() }).from(memberships).innerJoin(accounts, eq(accounts.id, memberships.accountId)).where(where),
  ]);
  return { rows, total: totalRow?.n ?? 0 };
}

export type StackSummary = {
  id: string;
  name: string;
  createdAt: Date;
  roles: { id: string; name: string; builtIn: boolean }[];
  people: number;
};

/** The org's stacks with their roles and how many people have access to each. */
export async function listStacks(db: DbOrTx, orgId: string): Promise<StackSummary[]> {
  const rows = await db
    .select({
      id: stacks.id,
      name: stacks.name,
      createdAt: stacks.createdAt,
      roleId: stackRoles.id,
      roleName: stackRoles.name,
      builtIn: stackRoles.builtIn,
    })
    .from(stacks)
    .leftJoin(stackRoles, eq(stackRoles.stackId, stacks.id))
    .where(eq(stacks.orgId, orgId))
    .orderBy(asc(sql`lower(${stacks.name})`), sql`${stackRoles.builtIn} desc`, asc(stackRoles.createdAt), asc(stackRoles.name));
  const peopleBy = await stackPeople(db, orgId);
  const out = new Map<string, StackSummary>();
  for (const r of rows) {
    let s = out.get(r.id);
    if (!s) {
      s = { id: r.id, name: r.name, createdAt: r.createdAt, roles: [], people: peopleBy.get(r.id) ?? 0 };
      out.set(r.id, s);
    }
    if (r.roleId && r.roleName !== null) s.roles.push({ id: r.roleId, name: r.roleName, builtIn: r.builtIn ?? false });
  }
  return [...out.values()];
}

/** Counts for the Organization Info page (index-only counts on org-leading indexes). */
export async function orgStats(db: DbOrTx, orgId: string): Promise<{ members: number; admins: number; stacks: number }> {
  const [row] = await db
    .select({
      members: sql<number>`(select count(*) from ${memberships} where ${memberships.orgId} = ${orgId})::int`,
      admins: sql<number>`(select count(*) from ${memberships} where ${memberships.orgId} = ${orgId} and ${memberships.role} in ('owner','admin'))::int`,
      stacks: sql<number>`(select count(*) from ${stacks} where ${stacks.orgId} = ${orgId})::int`,
    })
    .from(sql`(select 1) as one`);
  return row ?? { members: 0, admins: 0, stacks: 0 };
}
