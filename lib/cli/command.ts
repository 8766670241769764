import type { parseArgs } from "node:util";
import type { Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { getOrganization } from "@/lib/orgs/queries";

// The shape of an admin CLI command (lib/cli/admin.ts registers them; audit-commands.ts holds the audit trail's).

export type Io = { out: (line: string) => void; err: (line: string) => void };

export class UsageError extends Error {}

export type Values = Record<string, string | boolean | undefined>;
export type Command = {
  options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>["options"]>;
  /** Checks the options before the database is opened (throws UsageError). */
  check?: (values: Values) => void;
  run: (db: Db, values: Values, io: Io) => Promise<number>;
};

export function required(values: Values, name: string): string {
  const v = values[name];
  if (typeof v !== "string" || !v.trim()) throw new UsageError(`--${name} is required`);
  return v;
}

export const orgOption = { org: { type: "string" } } as const;

export async function requireOrg(db: Db, values: Values): Promise<string> {
  const orgId = required(values, "org").trim();
  if (!(await getOrganization(db, orgId)))
    throw new AppError("not_found", `No organization has the ID ${orgId}. List them with: npm run admin -- org:list`);
  return orgId;
}

/** Prints rows as aligned columns under a header (the last column is not padded). */
export function printTable(io: Io, head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [head, ...rows])
    io.out(
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    );
}
