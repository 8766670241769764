import { sql } from "drizzle-orm";

/** Many uuids as one text parameter (`a,b,…` → uuid[]), so even 100,000 ids are a single bind variable. Callers validate the ids. */
export function uuidArray(ids: string[]) {
  return sql`string_to_array(${ids.join(",")}, ',')::uuid[]`;
}
