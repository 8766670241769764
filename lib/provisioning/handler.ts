import { getDatabase, type Db } from "@/db/client";
import { scimBaseUrl } from "./base-url";
import { accessLogger, logger, requestIdOf } from "@/lib/logger";
import { checkScope, touchCredential, type ScimCaller } from "@/lib/credentials/authenticate";
import { authenticateCached } from "@/lib/credentials/credential-cache";
import { resourceTypes, schemas, serviceProviderConfig } from "@/lib/scim/discovery";
import { refusedValue } from "@/lib/errors";
import { invalidFilter, invalidValue, notFound, ScimError } from "@/lib/scim/errors";
import { errorResponse, etagOf, ifNoneMatchHits, readJsonBody, scimResponse } from "@/lib/scim/http";
import { parseListQuery, type ListQuery, type Projection } from "@/lib/scim/query";
import { LIST_RESPONSE_SCHEMA } from "@/lib/scim/schemas";
import { createGroup, deleteGroup, getGroup, listGroups, patchGroup, replaceGroup } from "./groups";
import { recordEvent } from "./log";
import { redactBody } from "./redact";
import type { Outcome } from "./transaction";
import { createUser, deleteUser, getUser, listUsers, patchUser, replaceUser, type Ctx } from "./users";

/**
 * The SCIM 2.0 endpoint of one organization, `/scim/v2.0/organizations/{orgId}/…`: authenticates the caller,
 * dispatches on the path case-insensitively (`/Users` and `/users` alike), answers SCIM JSON (errors included),
 * and records the request in the org's provisioning log.
 */
type Route = { resourceType?: "User" | "Group"; allow: string[]; run: (ctx: Ctx, req: Request) => Promise<Outcome> };

const projectionOf = (req: Request): Projection => {
  const q = parseListQuery(new URL(req.url).searchParams);
  return { attributes: q.attributes, excludedAttributes: q.excludedAttributes };
};

/** Parsed request bodies, kept so the provisioning log can record (a redacted copy of) what was asked. */
const parsedBodies = new WeakMap<Request, Record<string, unknown>>();

async function body(req: Request): Promise<Record<string, unknown>> {
  const parsed = await readJsonBody(req);
  parsedBodies.set(req, parsed);
  return parsed;
}

function displayPath(segments: string[], search: string): string {
  let query = search;
  try {
    query = decodeURIComponent(search.replace(/\+/g, "%20"));
  } catch {
    /* keep it encoded */
  }
  return `/${segments.join("/")}${query}`;
}

const ok = (b: Record<string, unknown>): Outcome => ({ status: 200, body: b });

function resolveRoute(method: string, segments: string[]): Route {
  const [first, second, ...rest] = segments.map((s, i) => (i === 0 ? s.toLowerCase() : s));
  const m = method.toUpperCase();
  const route = (allow: string[], handlers: Record<string, Route["run"]>, resourceType?: Route["resourceType"]): Route => {
    const run = handlers[m];
    if (!run) return { allow, resourceType, run: async () => Promise.reject(new ScimError(405, `${m} is not supported here. Allowed: ${allow.join(", ")}.`)) };
    return { allow, resourceType, run };
  };
  if (rest.length) return { allow: [], run: () => Promise.reject(notFound(`No SCIM endpoint at /${segments.join("/")}.`)) };

  if (first === "serviceproviderconfig" && second === undefined) return route(["GET"], { GET: async (ctx) => ok(serviceProviderConfig(ctx.base)) });
  if (first === "resourcetypes") return route(["GET"], { GET: async (ctx) => ok(resourceTypes(ctx.base, second)) });
  if (first === "schemas") return route(["GET"], { GET: async (ctx) => ok(schemas(ctx.base, second)) });
  if (first === ".search" && second === undefined) return route(["POST"], { POST: async (ctx, req) => searchEverything(ctx, parseListQuery(await body(req))) });

  if (first === "users" || first === "groups") {
    const isUsers = first === "users";
    const resourceType = isUsers ? "User" : "Group";
    if (second === undefined)
      return route(
        ["GET", "POST"],
        {
          GET: async (ctx, req) => (isUsers ? listUsers : listGroups)(ctx, parseListQuery(new URL(req.url).searchParams)),
          POST: async (ctx, req) => (isUsers ? createUser : createGroup)(ctx, await body(req), projectionOf(req)),
        },
        resourceType,
      );
    if (second.toLowerCase() === ".search")
      return route(["POST"], { POST: async (ctx, req) => (isUsers ? listUsers : listGroups)(ctx, parseListQuery(await body(req))) }, resourceType);
    const id = second;
    return route(
      ["GET", "PUT", "PATCH", "DELETE"],
      {
        GET: async (ctx, req) => (isUsers ? getUser : getGroup)(ctx, id, projectionOf(req)),
        PUT: async (ctx, req) => (isUsers ? replaceUser : replaceGroup)(ctx, req, id, await body(req), projectionOf(req)),
        PATCH: async (ctx, req) => (isUsers ? patchUser : patchGroup)(ctx, req, id, await body(req), projectionOf(req)),
        DELETE: async (ctx, req) => (isUsers ? deleteUser : deleteGroup)(ctx, req, id),
      },
      resourceType,
    );
  }
  return { allow: [], run: () => Promise.reject(notFound(`No SCIM endpoint at /${segments.join("/")}. Resources: /Users, /Groups, /ServiceProviderConfig, /ResourceTypes, /Schemas.`)) };
}

/** POST /.search at the root: Users then Groups, one paged list; a filter one type lacks matches none of it. */
async function searchEverything(ctx: Ctx, q: ListQuery): Promise<Outcome> {
  const attempt = async (fn: typeof listUsers, query: ListQuery) => {
    try {
      return (await fn(ctx, query)).body as { totalResults: number; Resources: unknown[] };
    } catch (e) {
      if (e instanceof ScimError && e.scimType === "invalidFilter") return e;
      throw e;
    }
  };
  const users = await attempt(listUsers, q);
  const usersTotal = users instanceof ScimError ? 0 : users.totalResults;
  const groupStart = Math.max(1, q.startIndex - usersTotal);
  const fromUsers = users instanceof ScimError ? [] : users.Resources;
  const groups = await attempt(listGroups, { ...q, startIndex: groupStart, count: Math.max(0, q.count - fromUsers.length) });
  if (users instanceof ScimError && groups instanceof ScimError) throw invalidFilter(users.detail);
  const groupsTotal = groups instanceof ScimError ? 0 : groups.totalResults;
  const fromGroups = groups instanceof ScimError || q.count - fromUsers.length <= 0 ? [] : groups.Resources;
  const resources = [...fromUsers, ...fromGroups];
  return ok({ schemas: [LIST_RESPONSE_SCHEMA], totalResults: usersTotal + groupsTotal, startIndex: q.startIndex, itemsPerPage: resources.length, Resources: resources });
}

function toResponse(req: Request, outcome: Outcome): Response {
  const headers: Record<string, string> = {};
  if (outcome.version !== undefined) headers.etag = etagOf(outcome.version);
  const location = (outcome.body?.meta as { location?: string } | undefined)?.location;
  if (outcome.status === 201 && location) headers.location = location;
  if (req.method === "GET" && outcome.version !== undefined && ifNoneMatchHits(req, outcome.version)) return scimResponse(undefined, 304, headers);
  return scimResponse(outcome.status === 204 ? undefined : outcome.body, outcome.status, headers);
}

export async function handleScimRequest(req: Request, orgId: string, segments: string[]): Promise<Response> {
  const started = performance.now();
  const requestId = requestIdOf(req.headers);
  const url = new URL(req.url);
  const path = displayPath(segments, url.search);
  const cleanSegments = segments.filter((s) => s !== "");
  const route = resolveRoute(req.method, cleanSegments);
  let caller: ScimCaller | undefined;
  let db: Db | undefined;
  let outcome: Outcome | undefined;
  let error: ScimError | undefined;
  try {
    const database = await getDatabase();
    db = database.db;
    caller = await authenticateCached(database, orgId, req.headers.get("authorization"));
    checkScope(caller, req.method, cleanSegments.at(-1)?.toLowerCase() === ".search");
    const ctx: Ctx = { db, orgId, base: scimBaseUrl(orgId) };
    outcome = await route.run(ctx, req);
  } catch (e) {
    const refused = refusedValue(e);
    if (e instanceof ScimError) error = e;
    else if (refused) error = invalidValue(refused);
    else {
      logger().error({ requestId, orgId, method: req.method, path, err: e instanceof Error ? { message: e.message, stack: e.stack } : String(e) }, "SCIM request failed");
      error = new ScimError(500, `The request could not be completed because of an error on our side (request id ${requestId}). Please retry; if it keeps failing, contact support with the request id.`);
    }
  }
  const status = error ? error.status : outcome!.status;
  const durationMs = performance.now() - started;
  accessLogger().info({ requestId, orgId, method: req.method, path, status, ms: Math.round(durationMs), credential: caller?.kind }, "scim request");
  if (db && caller) {
    recordEvent(db, {
      orgId,
      requestId,
      credentialKind: caller.kind,
      credentialId: caller.credentialId,
      method: req.method,
      path,
      status,
      durationMs,
      resourceType: route.resourceType,
      resourceId: outcome?.resourceId,
      request: parsedBodies.has(req) ? redactBody(parsedBodies.get(req)) : undefined,
      errorDetail: error?.detail,
      access: outcome?.access,
    });
    touchCredential(db, caller);
  }
  if (error) return errorResponse(error, error.status === 405 ? { allow: route.allow.join(", ") } : error.status === 401 ? { "www-authenticate": 'Bearer realm="SCIM"' } : {});
  return toResponse(req, outcome!);
}
