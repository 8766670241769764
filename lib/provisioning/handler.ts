import { getDatabase, type Db } from "@/db/client";
import { scimBaseUrl } from "./base-url";
import { accessLogger, requestIdOf } from "@/lib/logger";
import { checkScope, touchCredential, type ScimCaller } from "@/lib/credentials/authenticate";
import { authenticateCached } from "@/lib/credentials/credential-cache";
import { notFound, ScimError } from "@/lib/scim/errors";
import { errorResponse, etagOf, ifNoneMatchHits, scimResponse } from "@/lib/scim/http";
import { ScimRateLimited, takeScimRequest } from "@/lib/limits/scim-rate-limit";
import { describeRequest, type DescribedRequest } from "./describe";
import { recordEvent } from "./log";
import { redactAnswerJson, redactBodyJson } from "./redact";
import { resolveEndpoint, ScimRequest, type Verb } from "./routes";
import { toScimError } from "./scim-errors";
import type { Outcome } from "./transaction";

/**
 * The SCIM 2.0 endpoint of one organization, `/scim/v2.0/organizations/{orgId}/…`, as one pipeline: authenticate
 * the caller → the route table (routes.ts; 404 and 405 here) → the use case → the response (SCIM JSON, errors
 * included, through toScimError) → the org's provisioning log.
 */

function displayPath(segments: string[], search: string): string {
  let query = search;
  try {
    query = decodeURIComponent(search.replace(/\+/g, "%20"));
  } catch {
    /* keep it encoded */
  }
  return `/${segments.join("/")}${query}`;
}

/** 404 for a path the route table does not have. */
function noEndpoint(segments: string[]): ScimError {
  const at = `No SCIM endpoint at /${segments.join("/")}.`;
  return notFound(segments.length > 2 ? at : `${at} Resources: /Users, /Groups, /ServiceProviderConfig, /ResourceTypes, /Schemas.`);
}

function toResponse(req: Request, outcome: Outcome): Response {
  const headers: Record<string, string> = {};
  if (outcome.version !== undefined) headers.etag = etagOf(outcome.version);
  const location = (outcome.body?.meta as { location?: string } | undefined)?.location;
  if (outcome.status === 201 && location) headers.location = location;
  if (req.method === "GET" && outcome.version !== undefined && ifNoneMatchHits(req, outcome.version))
    return scimResponse(undefined, 304, headers);
  return scimResponse(outcome.status === 204 ? undefined : outcome.body, outcome.status, headers);
}

/** Which endpoint of a resource the path names (for the log's sentence). */
function endpointKind(segments: string[], resourceType: string | undefined): DescribedRequest["endpoint"] {
  if (!resourceType) return "other";
  if (segments.length === 1) return "collection";
  return segments[1]!.toLowerCase() === ".search" ? "search" : "item";
}

/** A string the body carries at `key`, for a refusal's sentence ("Refused to create alice@example.org: …"). */
function bodyName(body: Record<string, unknown> | undefined, key: "userName" | "displayName"): string | undefined {
  const v = body?.[key];
  return typeof v === "string" && v ? v.slice(0, 200) : undefined;
}

/** A ListResponse's totalResults and how many it returned, with the filter the query string asked. */
function listFacts(
  body: Record<string, unknown> | undefined,
  url: URL,
  parsed: Record<string, unknown> | undefined,
): DescribedRequest["list"] {
  if (typeof body?.totalResults !== "number") return undefined;
  const filter = url.searchParams.get("filter") ?? (typeof parsed?.filter === "string" ? parsed.filter : undefined);
  return { total: body.totalResults, returned: Array.isArray(body.Resources) ? body.Resources.length : 0, filter: filter?.slice(0, 200) };
}

function errorHeaders(error: ScimError, allow: string[]): Record<string, string> {
  if (error instanceof ScimRateLimited) return { "retry-after": String(error.retryAfterSeconds) };
  if (error.status === 405) return { allow: allow.join(", ") };
  if (error.status === 401) return { "www-authenticate": 'Bearer realm="SCIM"' };
  return {};
}

export async function handleScimRequest(req: Request, orgId: string, segments: string[]): Promise<Response> {
  const started = performance.now();
  const requestId = requestIdOf(req.headers);
  const url = new URL(req.url);
  const path = displayPath(segments, url.search);
  const cleanSegments = segments.filter((s) => s !== "");
  const route = resolveEndpoint(cleanSegments);
  const method = req.method.toUpperCase() as Verb;
  const allow = Object.keys(route?.endpoint.verbs ?? {});
  let caller: ScimCaller | undefined;
  let db: Db | undefined;
  let request: ScimRequest | undefined;
  let outcome: Outcome | undefined;
  let error: ScimError | undefined;
  try {
    const database = await getDatabase();
    db = database.db;
    caller = await authenticateCached(database, orgId, req.headers.get("authorization"));
    checkScope(caller, req.method, cleanSegments.at(-1)?.toLowerCase() === ".search");
    await takeScimRequest(orgId);
    if (!route) throw noEndpoint(cleanSegments);
    const run = route.endpoint.verbs[method];
    if (!run) throw new ScimError(405, `${method} is not supported here. Allowed: ${allow.join(", ")}.`);
    request = new ScimRequest({ db, orgId, base: scimBaseUrl(orgId) }, req, route.id);
    outcome = await run(request);
  } catch (e) {
    error = toScimError(e, { requestId, orgId, method: req.method, path });
  }
  const status = error ? error.status : outcome!.status;
  const durationMs = performance.now() - started;
  accessLogger().info(
    { requestId, orgId, method: req.method, path, status, ms: Math.round(durationMs), credential: caller?.kind },
    "scim request",
  );
  if (db && caller) {
    const resourceType = route?.endpoint.resourceType;
    const body = request?.parsedBody;
    const summary = describeRequest({
      method,
      status,
      resourceType,
      endpoint: endpointKind(cleanSegments, resourceType),
      path,
      resourceId: outcome?.resourceId,
      facts: outcome?.facts,
      access: outcome?.access,
      error: error && { detail: error.detail, scimType: error.scimType },
      requestedName: bodyName(body, resourceType === "Group" ? "displayName" : "userName"),
      list: error ? undefined : listFacts(outcome?.body, url, body),
    });
    recordEvent(db, {
      orgId,
      requestId,
      credentialKind: caller.kind,
      credentialId: caller.credentialId,
      credentialName: caller.name,
      method: req.method,
      path,
      status,
      durationMs,
      resourceType,
      resourceId: outcome?.resourceId,
      request: body ? redactBodyJson(body, { kind: resourceType, method }) : undefined,
      response: !error && outcome?.body ? redactAnswerJson(outcome.body) : undefined,
      errorDetail: error?.detail,
      access: outcome?.access,
      summary,
      people: outcome?.facts?.people,
    });
    touchCredential(db, caller);
  }
  if (error) return errorResponse(error, errorHeaders(error, allow));
  return toResponse(req, outcome!);
}
