import { describe, expect, it } from "vitest";
import { BodyTooLarge, readBodyText, withBoundedBody } from "./body";

/** A request whose body is `chunks` chunks of `size` bytes, counting how many the reader pulled. */
function streamed(chunks: number, size: number, headers: Record<string, string> = {}) {
  const pulled = { n: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.n >= chunks) return controller.close();
      pulled.n++;
      controller.enqueue(new Uint8Array(size).fill(97));
    },
  });
  const req = new Request("http://localhost/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);
  return { req, pulled };
}

describe("bounded body reader", () => {
  it("reads a body within the limit exactly", async () => {
    const { req } = streamed(3, 10);
    expect(await readBodyText(req, 30)).toBe("a".repeat(30));
  });

  it("refuses a declared Content-Length over the limit without reading a byte", async () => {
    const { req, pulled } = streamed(1000, 1024, { "content-length": String(1000 * 1024) });
    await expect(readBodyText(req, 4096)).rejects.toThrow(BodyTooLarge);
    expect(pulled.n).toBe(0);
  });

  it("abandons a chunked body as soon as it passes the limit", async () => {
    const { req, pulled } = streamed(10_000, 1024);
    const e = await readBodyText(req, 8 * 1024).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BodyTooLarge);
    expect((e as BodyTooLarge).limit).toBe(8192);
    // the ninth chunk passes the limit; at most one more was queued by the stream
    expect(pulled.n).toBeLessThanOrEqual(10);
  });

  it("hands on a request whose body was read within bounds, for code that reads it itself", async () => {
    const { req } = streamed(2, 5, { "content-type": "application/x-www-form-urlencoded" });
    const bounded = await withBoundedBody(req, 100);
    expect(bounded.headers.get("content-length")).toBe("10");
    expect(bounded.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(await bounded.text()).toBe("a".repeat(10));
    await expect(withBoundedBody(streamed(5, 100).req, 100)).rejects.toThrow(BodyTooLarge);
  });
});
