import { afterAll, beforeAll } from "vitest";
import type { DatabaseHandle, Db } from "@/db/client";
import { stackRoles } from "@/db/schema";
import { openTestDatabase, uniqueSuffix } from "@/db/test-support";
import { SYSTEM_ACTOR } from "@/lib/audit/record";
import { createOrganization } from "@/lib/orgs/create-organization";
import { createUser, type Ctx } from "@/lib/provisioning/users";
import { createStack } from "@/lib/stacks/create-stack";

/** A projection that asks for nothing in particular (the whole resource). */
export const none = { attributes: [], excludedAttributes: [] };

/**
 * The database of a mapping test file, opened before its tests and closed after them: `db` (once open), and
 * `setup(people)`, a mappingOrg on it.
 */
export function withMappingDatabase() {
  let handle: DatabaseHandle | undefined;
  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(async () => {
    await handle?.close();
  });
  return {
    get db(): Db {
      return handle!.db;
    },
    setup: (people: number) => mappingOrg(handle!.db, people),
  };
}

/** An org for the mapping tests: its Owner, two stacks (Developer stack, Marketing site) and `people` SCIM users. */
export async function mappingOrg(db: Db, people: number) {
  const ownerEmail = `o.${uniqueSuffix()}@example.com`;
  const { org, ownerAccountId } = await createOrganization(db, { name: "Map Co", ownerEmail, ownerPassword: "password-123" });
  const ctx: Ctx = { db, orgId: org.id, base: "http://localhost/scim" };
  const [dev, web] = await db.transaction(async (tx) => [
    await createStack(tx, SYSTEM_ACTOR, org.id, "Developer stack"),
    await createStack(tx, SYSTEM_ACTOR, org.id, "Marketing site"),
  ]);
  const roles = await db.select().from(stackRoles);
  const role = (stackId: string, name: string) => roles.find((r) => r.stackId === stackId && r.name === name)!.id;
  const ids: string[] = [];
  for (let i = 0; i < people; i++) ids.push((await createUser(ctx, { userName: `u${i}.${uniqueSuffix()}@acme.com` }, none)).resourceId!);
  return { orgId: org.id, ownerAccountId, owner: { id: ownerAccountId, email: ownerEmail }, ctx, dev: dev!, web: web!, role, ids };
}
