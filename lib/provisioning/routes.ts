import { resourceTypes, schemas, serviceProviderConfig } from "@/lib/scim/discovery";
import { invalidFilter, ScimError } from "@/lib/scim/errors";
import { readBodyText } from "@/lib/http/body";
import { MAX_BODY_BYTES, parseJsonBody } from "@/lib/scim/http";
import { parseListQuery, type ListQuery, type Projection } from "@/lib/scim/query";
import { LIST_RESPONSE_SCHEMA } from "@/lib/scim/schemas";
import { createGroup, deleteGroup, getGroup, listGroups, patchGroup, replaceGroup } from "./groups";
import type { Outcome } from "./transaction";
import { createUser, deleteUser, getUser, listUsers, patchUser, replaceUser, type Ctx } from "./users";

/**
 * The SCIM endpoint's route table: which resource and verbs each path serves. The handler (handler.ts) answers 404
 * for a path that is not here and 405 (with Allow) for a verb an endpoint lacks, in one place.
 */

export type Verb = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One SCIM request as a use case sees it: the org's context, the request, and its parts read on demand. */
export class ScimRequest {
  /** The parsed JSON body once read: the provisioning log records a redacted copy of what was asked. */
  parsedBody?: Record<string, unknown>;
  constructor(
    readonly ctx: Ctx,
    readonly req: Request,
    /** The `{id}` of `/Users/{id}` and `/Groups/{id}`. */
    readonly id: string,
  ) {}
  async body(): Promise<Record<string, unknown>> {
    this.parsedBody ??= parseJsonBody(await readBodyText(this.req, MAX_BODY_BYTES));
    return this.parsedBody;
  }
  /** The query string's list parameters. */
  query(): ListQuery {
    return parseListQuery(new URL(this.req.url).searchParams);
  }
  /** The query string's attributes / excludedAttributes. */
  projection(): Projection {
    const q = this.query();
    return { attributes: q.attributes, excludedAttributes: q.excludedAttributes };
  }
}

type Handler = (r: ScimRequest) => Promise<Outcome>;
export type Endpoint = { resourceType?: "User" | "Group"; verbs: Partial<Record<Verb, Handler>> };

const ok = (body: Record<string, unknown>): Outcome => ({ status: 200, body });

/** A resource's three endpoints, from its use cases. */
function resource(resourceType: "User" | "Group", use: typeof USERS) {
  return {
    collection: {
      resourceType,
      verbs: { GET: async (r) => use.list(r.ctx, r.query()), POST: async (r) => use.create(r.ctx, await r.body(), r.projection()) },
    } satisfies Endpoint,
    search: { resourceType, verbs: { POST: async (r) => use.list(r.ctx, parseListQuery(await r.body())) } } satisfies Endpoint,
    item: {
      resourceType,
      verbs: {
        GET: async (r) => use.get(r.ctx, r.id, r.projection()),
        PUT: async (r) => use.replace(r.ctx, r.req, r.id, await r.body(), r.projection()),
        PATCH: async (r) => use.patch(r.ctx, r.req, r.id, await r.body(), r.projection()),
        DELETE: async (r) => use.delete(r.ctx, r.req, r.id),
      },
    } satisfies Endpoint,
  };
}

const USERS = { list: listUsers, create: createUser, get: getUser, replace: replaceUser, patch: patchUser, delete: deleteUser };
const GROUPS = { list: listGroups, create: createGroup, get: getGroup, replace: replaceGroup, patch: patchGroup, delete: deleteGroup };

const ROUTES = {
  users: resource("User", USERS),
  groups: resource("Group", GROUPS),
  serviceProviderConfig: { verbs: { GET: async (r) => ok(serviceProviderConfig(r.ctx.base)) } } satisfies Endpoint,
  resourceTypes: (name?: string): Endpoint => ({ verbs: { GET: async (r) => ok(resourceTypes(r.ctx.base, name)) } }),
  schemas: (urn?: string): Endpoint => ({ verbs: { GET: async (r) => ok(schemas(r.ctx.base, urn)) } }),
  search: { verbs: { POST: async (r) => searchEverything(r.ctx, parseListQuery(await r.body())) } } satisfies Endpoint,
};

/**
 * The endpoint of a path (segments after the org's base URL; resource names match case-insensitively, as some
 * clients send `/users`), with the `{id}` it names; null when there is none.
 */
export function resolveEndpoint(segments: string[]): { endpoint: Endpoint; id: string } | null {
  if (segments.length > 2) return null;
  const [rawFirst, second] = segments;
  const first = rawFirst?.toLowerCase();
  const res = first === "users" ? ROUTES.users : first === "groups" ? ROUTES.groups : undefined;
  if (res) {
    if (second === undefined) return { endpoint: res.collection, id: "" };
    return second.toLowerCase() === ".search" ? { endpoint: res.search, id: "" } : { endpoint: res.item, id: second };
  }
  if (first === "serviceproviderconfig" && second === undefined) return { endpoint: ROUTES.serviceProviderConfig, id: "" };
  if (first === "resourcetypes") return { endpoint: ROUTES.resourceTypes(second), id: "" };
  if (first === "schemas") return { endpoint: ROUTES.schemas(second), id: "" };
  if (first === ".search" && second === undefined) return { endpoint: ROUTES.search, id: "" };
  return null;
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
  return ok({
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: usersTotal + groupsTotal,
    startIndex: q.startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  });
}
