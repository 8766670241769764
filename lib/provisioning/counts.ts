import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { scimResourceCounts } from "@/db/schema";

/** Shards per org and resource: enough that 32 concurrent creates rarely wait on each other's counter row. */
const SHARDS = 16;

/** A random shard of the counter, for statements that bump it themselves (see bumpCount). */
export function countShard(): number {
  return Math.floor(Math.random() * SHARDS);
}

/** Adds `delta` to the org's count of Users or Groups, in the caller's transaction. */
export async function bumpCount(tx: DbOrTx, orgId: string, resource: "User" | "Group", delta: number): Promise<void> {
  if (!delta) return;
  const shard = countShard();
  await queryRows(
    tx,
    sql`insert into ${scimResourceCounts} (org_id, resource, shard, n) values (${orgId}, ${resource}, ${shard}, ${delta})
        on conflict (org_id, resource, shard) do update set n = scim_resource_counts.n + excluded.n`,
  );
}

/** The exact number of Users or Groups of an org, from the shards (no scan of the resource table). */
export async function countOf(db: DbOrTx, orgId: string, resource: "User" | "Group"): Promise<number> {
  const [row] = await queryRows<{ n: string | number | null }>(
    db,
    sql`select coalesce(sum(n), 0) as n from ${scimResourceCounts} where org_id = ${orgId} and resource = ${resource}`,
  );
  return Number(row?.n ?? 0);
}
