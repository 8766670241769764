import { and, desc, eq, lt, sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { uuidArray } from "@/db/sql";
import { provisioningActivity, provisioningEventPeople, provisioningEvents, scimUsers } from "@/db/schema";
import { logger } from "@/lib/logger";
import { PEOPLE_PER_EVENT, type AccessEffect } from "./transaction";

/** The log keeps this many events per organization; older ones are pruned. */
export const LOG_MAX_PER_ORG = 100_000;
const PRUNE_EVERY = 500;
/** The hourly activity counters are kept this long (the chart shows 30 days). */
const ACTIVITY_DAYS = 40;

export type ProvisioningEvent = {
  orgId: string;
  requestId: string;
  credentialKind?: "scim_token" | "oauth";
  credentialId?: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  resourceType?: string;
  resourceId?: string;
  /** The redacted, bounded request body as JSON text (redact.ts), kept as written. */
  request?: string;
  /** The redacted, bounded answer of a successful request, as JSON text. */
  response?: string;
  errorDetail?: string;
  access?: AccessEffect;
  /** What happened, in words (describe.ts). */
  summary?: string;
  /** The credential's name (the token's, the OAuth app's). */
  credentialName?: string;
  /** SCIM users the request touched besides its own resource (their history lists it); the first PEOPLE_PER_EVENT are kept. */
  people?: string[];
};

/** The access effect as the log keeps it: null when nothing changed; the list of changed accounts is the side table's. */
function accessSummary(a: AccessEffect | undefined) {
  if (!a) return null;
  const empty = !a.membership && a.roleChanges + a.stackGrants + a.stackRevocations === 0;
  if (empty) return null;
  const kept = { ...a };
  delete kept.accounts;
  return kept;
}

/** An event as a row, in the database's column names (written as one JSON document per batch). */
function toRow(e: ProvisioningEvent) {
  return {
    org_id: e.orgId,
    at: new Date().toISOString(),
    request_id: e.requestId,
    credential_kind: e.credentialKind ?? null,
    credential_id: e.credentialId ?? null,
    credential_name: e.credentialName ?? null,
    method: e.method,
    path: e.path.slice(0, 2000),
    status: e.status,
    duration_ms: Math.round(e.durationMs),
    resource_type: e.resourceType ?? null,
    resource_id: e.resourceId ?? null,
    request_body: e.request ?? null,
    response_body: e.response ?? null,
    summary: e.summary ?? null,
    error_detail: e.errorDetail ?? null,
    access_changes: accessSummary(e.access),
    people: e.people?.length ? e.people.slice(0, PEOPLE_PER_EVENT) : null,
  };
}

/**
 * Events wait here briefly and are written in one multi-row insert (at most FLUSH_MS later, or at once when
 * BATCH_MAX are waiting), so recording a request adds no database round trip to it. A crash can lose the last
 * FLUSH_MS of events; a normal shutdown flushes them.
 */
const FLUSH_MS = 50;
const BATCH_MAX = 500;
type Pending = { db: DbOrTx; rows: ReturnType<typeof toRow>[]; timer?: ReturnType<typeof setTimeout>; flushing?: Promise<void> };
const globalForLog = globalThis as unknown as { __provisioningLog?: Pending };

/** The batch as JSON; NUL characters (which PostgreSQL text and jsonb refuse) become U+FFFD rather than losing it. */
function batchJson(rows: ReturnType<typeof toRow>[]): string {
  const json = JSON.stringify(rows);
  return json.includes("\\u0000")
    ? JSON.stringify(rows, (_k, v: unknown) => (typeof v === "string" ? v.replace(/\0/g, "\uFFFD") : v))
    : json;
}

/**
 * One statement per batch (one parameter however many events: the batch as JSON, unpacked by the database): the
 * events; the people each touched (provisioning_event_people, ids taken from the sequence first so both inserts
 * name the same event); and the org's hourly request and error counters (provisioning_activity), upserted once per
 * org and hour of the batch, in key order so that concurrent batches lock the counters in the same order. The bodies
 * travel as JSON strings inside the batch document and become json (not jsonb), so their keys keep their order.
 */
function insertRows(db: DbOrTx, rows: ReturnType<typeof toRow>[]) {
  return queryRows<{ id: number | string; org_id: string }>(
    db,
    sql`with x as (
          select nextval(pg_get_serial_sequence('provisioning_events', 'id')) as id, r.*
          from jsonb_to_recordset(${batchJson(rows)}::jsonb) as r(org_id text, at timestamptz, request_id text, credential_kind credential_kind,
            credential_id uuid, credential_name text, method text, path text, status int, duration_ms int, resource_type text, resource_id uuid,
            request_body text, response_body text, summary text, error_detail text, access_changes jsonb, people jsonb)
        ), events as (
          insert into ${provisioningEvents} (id, org_id, at, request_id, credential_kind, credential_id, credential_name, method, path, status,
            duration_ms, resource_type, resource_id, request_body, response_body, summary, error_detail, access_changes)
          overriding system value
          select id, org_id, at, request_id, credential_kind, credential_id, credential_name, method, path, status,
            duration_ms, resource_type, resource_id, request_body::json, response_body::json, summary, error_detail, access_changes
          from x
          returning id, org_id
        ), people as (
          insert into ${provisioningEventPeople} (org_id, user_id, event_id)
          select x.org_id, p.user_id::uuid, x.id from x cross join lateral jsonb_array_elements_text(x.people) as p(user_id)
          where x.people is not null
          on conflict do nothing
        ), counted as (
          insert into ${provisioningActivity} (org_id, hour, requests, errors)
          select org_id, date_trunc('hour', at, 'UTC'), count(*)::int, (count(*) filter (where status >= 400))::int
          from x where credential_kind is not null
          group by 1, 2 order by 1, 2
          on conflict (org_id, hour) do update
            set requests = ${provisioningActivity}.requests + excluded.requests, errors = ${provisioningActivity}.errors + excluded.errors
        )
        select id, org_id from events`,
  ).then((r) => r.map((w) => ({ id: Number(w.id), orgId: w.org_id })));
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Writes a batch in one statement. If that fails (one event the database refuses — its org deleted meanwhile,
 * say — fails the whole statement), each event is written on its own, so only the refused ones are lost (and
 * logged); the other events of the batch, other tenants' included, are kept.
 */
async function writeBatch(db: DbOrTx, rows: ReturnType<typeof toRow>[]): Promise<void> {
  let written: { id: number; orgId: string }[] = [];
  try {
    written = await insertRows(db, rows);
  } catch (err) {
    if (rows.length === 1) {
      logger().error(
        { err: errorText(err), orgId: rows[0]!.org_id, requestId: rows[0]!.request_id },
        "could not record a provisioning event",
      );
      return;
    }
    for (const row of rows) {
      try {
        written.push(...(await insertRows(db, [row])));
      } catch (one) {
        logger().error({ err: errorText(one), orgId: row.org_id, requestId: row.request_id }, "could not record a provisioning event");
      }
    }
  }
  try {
    // Prune an org now and then (its ids are increasing): when one of the new ids crosses a multiple of PRUNE_EVERY.
    const orgs = new Set(written.filter((w) => w.id % PRUNE_EVERY === 0).map((w) => w.orgId));
    for (const orgId of orgs) await pruneLog(db, orgId);
  } catch (err) {
    logger().error({ err: errorText(err) }, "could not prune the provisioning log");
  }
}

/**
 * Writes whatever is waiting, and returns once every event recorded before the call is in the table — also those a
 * flush started by the timer is still writing. The server calls it on shutdown; tests call it before reading the log.
 */
export async function flushProvisioningLog(): Promise<void> {
  const pending = globalForLog.__provisioningLog;
  if (!pending) return;
  while (pending.flushing || pending.rows.length) {
    if (pending.flushing) {
      await pending.flushing;
      continue;
    }
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = undefined;
    const flushing = writeBatch(pending.db, pending.rows.splice(0)).finally(() => {
      if (pending.flushing === flushing) pending.flushing = undefined;
    });
    pending.flushing = flushing;
    await flushing;
  }
}

/** Records one SCIM request (batched, see above). Never throws. */
export function recordEvent(db: DbOrTx, e: ProvisioningEvent): void {
  let pending = globalForLog.__provisioningLog;
  if (!pending || pending.db !== db) {
    if (pending?.rows.length) void writeBatch(pending.db, pending.rows.splice(0));
    if (pending?.timer) clearTimeout(pending.timer);
    pending = globalForLog.__provisioningLog = { db, rows: [] };
  }
  pending.rows.push(toRow(e));
  if (pending.rows.length >= BATCH_MAX) void flushProvisioningLog();
  else pending.timer ??= setTimeout(() => void flushProvisioningLog(), FLUSH_MS);
}

/** Deletes an org's events beyond the newest LOG_MAX_PER_ORG (index range scan on (org_id, id)). */
export async function pruneLog(db: DbOrTx, orgId: string, keep = LOG_MAX_PER_ORG): Promise<number> {
  const [edge] = await queryRows<{ id: number }>(
    db,
    sql`select id from ${provisioningEvents} where org_id = ${orgId} order by id desc offset ${keep} limit 1`,
  );
  // The activity counters age out by time, not by count: the chart reads the last 30 days.
  await db
    .delete(provisioningActivity)
    .where(and(eq(provisioningActivity.orgId, orgId), lt(provisioningActivity.hour, sql`now() - make_interval(days => ${ACTIVITY_DAYS})`)));
  if (!edge) return 0;
  const deleted = await db
    .delete(provisioningEvents)
    .where(and(eq(provisioningEvents.orgId, orgId), lt(provisioningEvents.id, Number(edge.id) + 1)))
    .returning({ id: provisioningEvents.id });
  return deleted.length;
}

export async function recentEvents(db: DbOrTx, orgId: string, limit = 50) {
  return db.select().from(provisioningEvents).where(eq(provisioningEvents.orgId, orgId)).orderBy(desc(provisioningEvents.id)).limit(limit);
}

/**
 * A group mapping saved or removed in Org Admin, as an event of the org's log (method `MAPPING`, no credential: it
 * is not a SCIM request, and the activity chart does not count it), with the people whose access it changed — in one
 * statement of the save's own transaction, so it is there exactly when the save is. The admin is named by email.
 */
export async function recordMappingEvent(
  tx: DbOrTx,
  e: {
    orgId: string;
    groupId: string;
    /** Who saved it (an email, "Admin CLI", "System"). */ by: string;
    summary: string;
    access: AccessEffect;
    durationMs: number;
  },
): Promise<void> {
  const access = accessSummary(e.access);
  await queryRows(
    tx,
    sql`with e as (
          insert into ${provisioningEvents} (org_id, method, path, status, duration_ms, resource_type, resource_id, summary, credential_name, access_changes)
          select ${e.orgId}, 'MAPPING', '/org-admin/scim/mapping', 200, ${Math.round(e.durationMs)}::int, 'Group', ${e.groupId}::uuid, ${e.summary},
            ${e.by}, ${access ? JSON.stringify(access) : null}::jsonb
          returning id
        )
        insert into ${provisioningEventPeople} (org_id, user_id, event_id)
        select ${e.orgId}, su.id, e.id from e join ${scimUsers} su on su.org_id = ${e.orgId} and su.account_id = any(${uuidArray(e.access.accounts ?? [])})`,
  );
}
