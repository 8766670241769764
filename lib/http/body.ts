/**
 * The one way the portal reads a request body: bounded. A declared Content-Length over the limit is refused before
 * a byte is read; a body without one (chunked) is read chunk by chunk and abandoned the moment it passes the limit,
 * so a client streaming megabytes costs the server at most `limit` bytes. Each endpoint turns BodyTooLarge into a
 * 413 in its own dialect (a SCIM Error, an RFC 6749 error, a page).
 */

/** The limits, in bytes, besides SCIM's (lib/scim/http.ts MAX_BODY_BYTES, 1 MiB): OAuth forms, HTML form posts. */
export const BODY_LIMITS = {
  oauthForm: 16_384,
  htmlForm: 65_536,
} as const;

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit} bytes.`);
    this.name = "BodyTooLarge";
  }
}

/** The body as bytes, at most `limit` of them (BodyTooLarge past that). An absent body is empty. */
export async function readBodyBytes(req: Request, limit: number): Promise<Uint8Array> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) {
    await req.body?.cancel().catch(() => {});
    throw new BodyTooLarge(limit);
  }
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The body as UTF-8 text, at most `limit` bytes (BodyTooLarge past that). */
export async function readBodyText(req: Request, limit: number): Promise<string> {
  return new TextDecoder().decode(await readBodyBytes(req, limit));
}

/**
 * The same request with its body read (bounded) and held in memory, for code that reads the body itself
 * (next-auth's handlers): what it reads can no longer be unbounded.
 */
export async function withBoundedBody(req: Request, limit: number): Promise<Request> {
  if (req.method === "GET" || req.method === "HEAD") return req;
  const body = await readBodyBytes(req, limit);
  const headers = new Headers(req.headers);
  headers.delete("transfer-encoding");
  headers.set("content-length", String(body.byteLength));
  return new Request(req.url, { method: req.method, headers, body: body as BodyInit, signal: req.signal });
}
