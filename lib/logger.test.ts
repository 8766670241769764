import { describe, expect, it } from "vitest";
import { createLogger, requestIdOf } from "./logger";

function capture() {
  const lines: string[] = [];
  const log = createLogger("info", { write: (s: string) => void lines.push(s) });
  return { log, lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("logger", () => {
  it("writes JSON lines and redacts passwords, tokens, secrets and authorization headers", () => {
    const { log, lines } = capture();
    log.info(
      {
        requestId: "req-12345678",
        password: "hunter2",
        body: { password: "p", userName: "jane" },
        headers: { authorization: "Bearer abc", cookie: "session=x", accept: "application/json" },
        client_secret: "s3cr3t",
        token: "tok",
      },
      "something happened",
    );
    const [line] = lines();
    const text = JSON.stringify(line);
    for (const secret of ["hunter2", "Bearer abc", "session=x", "s3cr3t", '"tok"']) expect(text).not.toContain(secret);
    expect(line).toMatchObject({ level: 30, msg: "something happened", requestId: "req-12345678", service: "portal" });
    expect((line!.body as Record<string, unknown>).userName).toBe("jane");
    expect((line!.headers as Record<string, unknown>).accept).toBe("application/json");
  });

  it("keeps a sane client request id and replaces a strange one", () => {
    expect(requestIdOf(new Headers({ "x-request-id": "abc-12345678" }))).toBe("abc-12345678");
    const replaced = requestIdOf(new Headers({ "x-request-id": "<script>" }));
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
  });
});
