import { eq } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Tx } from "@/db/client";
import { isUuid } from "@/lib/ids";
import { checkIfMatch } from "@/lib/scim/http";
import { project, type Projection } from "@/lib/scim/query";
import { bumpCount } from "./counts";
import type { ListedTable, ResourceDefinition } from "./resource";
import { inTransaction, type AccessEffect, type Outcome } from "./transaction";
import type { Ctx } from "./users/statements";

// The use cases Users and Groups run the same way, on their definitions (resource.ts): get one, delete one.

type Versioned = { id: string; version: number };
type Definition<Row, Related> = ResourceDefinition<ListedTable & { id: AnyPgColumn }, Row, never, Related>;

/** GET /{Resource}/{id}: `read` fetches the row (and what its rendering shows of related resources). */
export async function getResource<Row extends Versioned, Related>(
  ctx: Ctx,
  def: Definition<Row, Related>,
  id: string,
  projection: Projection,
  read: (id: string) => Promise<{ row: Row; related?: Related } | undefined>,
): Promise<Outcome> {
  if (!isUuid(id)) throw def.notFound(id);
  const found = await read(id);
  if (!found) throw def.notFound(id);
  const rendered = def.render(found.row, ctx.base, found.related);
  const name = rendered.userName ?? rendered.displayName; // for the log's "Read alice@example.org"
  return {
    status: 200,
    resourceId: found.row.id,
    version: found.row.version,
    body: project(def.type, rendered, projection),
    facts: { name: typeof name === "string" ? name : undefined },
  };
}

/**
 * DELETE /{Resource}/{id}, in one transaction: the row locked (`lock` throws the resource's 404), If-Match checked,
 * `beforeDelete` settles what the row's going means for people's access, then the row goes (its member rows with
 * it, by cascade) and the resource count follows. 204.
 */
export function deleteResource<Row extends Versioned, Related>(
  ctx: Ctx,
  def: Definition<Row, Related>,
  req: Request,
  id: string,
  lock: (tx: Tx) => Promise<Row>,
  beforeDelete: (tx: Tx, current: Row) => Promise<AccessEffect>,
  /** The resource's name, for the log's sentence ("Deleted group Engineering"). */
  nameOf: (current: Row) => string,
): Promise<Outcome> {
  return inTransaction(ctx.db, async (tx) => {
    const current = await lock(tx);
    checkIfMatch(req, current.version);
    const access = await beforeDelete(tx, current);
    await tx.delete(def.table).where(eq(def.table.id, id));
    await bumpCount(tx, ctx.orgId, def.type, -1);
    return { status: 204, resourceId: id, access, facts: { name: nameOf(current) } };
  });
}
