import { z } from "zod";
import { isAuditAction } from "./actions";
import type { AuditCursor, AuditFilter } from "./query";

/**
 * The Audit log's filters as they travel in a URL (the page, its paging links, the export links):
 * `action`, `person` (an account id, or `cli`), `q` (a piece of an email), `from` / `to` (days, YYYY-MM-DD, UTC;
 * `to` includes its whole day), `before` / `after` (paging cursors). Anything malformed is dropped, not an error:
 * the page then shows what the rest of the filters match.
 */
export const FILTER_KEYS = ["action", "person", "q", "from", "to"] as const;
export type FilterValues = Record<(typeof FILTER_KEYS)[number], string>;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const cursorId = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const uuid = z.uuid();

/** Midnight UTC of a YYYY-MM-DD day (the date input's value), or undefined when it is not a real day. */
function dayStart(value: string): Date | undefined {
  if (!day.safeParse(value).success) return undefined;
  const d = new Date(`${value}T00:00:00.000Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value ? undefined : d;
}

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

export function parseAuditParams(params: Params): { filter: AuditFilter; cursor: AuditCursor; values: FilterValues } {
  const one = (k: string) => {
    const v = params instanceof URLSearchParams ? params.get(k) : params[k];
    return typeof v === "string" ? v.trim().slice(0, 200) : "";
  };
  const values: FilterValues = { action: "", person: "", q: "", from: "", to: "" };
  const filter: AuditFilter = {};
  const action = one("action");
  if (isAuditAction(action)) filter.action = values.action = action;
  const person = one("person");
  if (person === "cli") filter.actor = { cli: true };
  else if (uuid.safeParse(person).success) filter.actor = { accountId: person.toLowerCase() };
  if (filter.actor) values.person = person;
  const q = one("q");
  if (q) filter.email = values.q = q;
  const from = dayStart(one("from"));
  if (from) {
    filter.from = from;
    values.from = one("from");
  }
  const to = dayStart(one("to"));
  if (to) {
    filter.to = new Date(to.getTime() + 86_400_000);
    values.to = one("to");
  }
  const cursor: AuditCursor = {};
  const before = cursorId.safeParse(one("before") || undefined);
  const after = cursorId.safeParse(one("after") || undefined);
  if (before.success) cursor.before = before.data;
  else if (after.success) cursor.after = after.data;
  return { filter, cursor, values };
}

/** The filters (no cursor) as a query string's parameters, only those set. */
export function filterQuery(values: FilterValues, extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams([
    ...FILTER_KEYS.filter((k) => values[k]).map((k) => [k, values[k]] as [string, string]),
    ...Object.entries(extra),
  ]);
}
