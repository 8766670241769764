import { ScimError, invalidSyntax } from "./errors";

/** The largest request body accepted (advertised in ServiceProviderConfig; documented in README). */
export const MAX_BODY_BYTES = 1_048_576;
export const SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8";

export function scimResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { ...(body === undefined ? {} : { "content-type": SCIM_CONTENT_TYPE }), "cache-control": "no-store", ...headers },
  });
}

export function errorResponse(error: ScimError, headers: Record<string, string> = {}): Response {
  return scimResponse(error.toJSON(), error.status, headers);
}

/** A request body (read, bounded, by the endpoint) as the JSON object SCIM expects: 400 invalidSyntax otherwise. */
export function parseJsonBody(text: string): Record<string, unknown> {
  if (!text.trim()) throw invalidSyntax("The request body is empty: a JSON object is expected.");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalidSyntax("The request body is not valid JSON.");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw invalidSyntax("The request body must be a JSON object.");
  return body as Record<string, unknown>;
}

/** `W/"<version>"`, the weak ETag of a resource version. */
export const etagOf = (version: number) => `W/"${version}"`;

/** RFC 7232 If-Match: `*`, or a list of (weak or strong) tags; 412 when none matches the current version. */
export function checkIfMatch(req: Request, version: number): void {
  const header = req.headers.get("if-match");
  if (!header || header.trim() === "*") return;
  const current = String(version);
  const tags = header.split(",").map((t) => t.trim().replace(/^W\//i, "").replace(/^"|"$/g, ""));
  if (!tags.includes(current))
    throw new ScimError(412, `The resource has changed (its version is ${etagOf(version)}): read it again and retry.`);
}

export function ifNoneMatchHits(req: Request, version: number): boolean {
  const header = req.headers.get("if-none-match");
  if (!header) return false;
  return header.split(",").some((t) => t.trim().replace(/^W\//i, "").replace(/^"|"$/g, "") === String(version));
}
