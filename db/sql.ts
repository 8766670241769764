import { sql } from "drizzle-orm";

/** Many uuids as one text parameter (`a,b,…` → uuid[]), so even 100,000 ids are a single bind variable. Callers validate the ids. */
export function uuidArray(ids: string[]) {
  return sql`string_to_array(${ids.join(",")}, ',')::uuid[]`;
}

/** `%text%` for a case-insensitive LIKE on lower(…): lower-cased, with `\`, `%` and `_` escaped (backslash is LIKE's default escape). */
export function containsPattern(text: string): string {
  return `%${text
    .trim()
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
