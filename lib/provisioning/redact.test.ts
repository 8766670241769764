import { describe, expect, it } from "vitest";
import { LOG_REQUEST_MAX, redactBody } from "./redact";

// What the provisioning log keeps of a request: never a password, whatever shape carries it.

const CANARY = "Canary-Pa55word-7f3a";
const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const has = (copy: unknown) => JSON.stringify(copy).includes(CANARY);

describe("redactBody", () => {
  it.each<[string, unknown]>([
    ["password", { userName: "a@x.com", password: CANARY }],
    ["PassWord (any case)", { userName: "a@x.com", PassWord: CANARY }],
    ["the URN-qualified name", { userName: "a@x.com", [`${CORE}:password`]: CANARY }],
    ["inside the core schema's object", { [CORE]: { password: CANARY } }],
  ])("POST/PUT: %s is redacted", (_, body) => {
    for (const method of ["POST", "PUT"]) {
      const copy = redactBody(body, { kind: "User", method });
      expect(has(copy)).toBe(false);
      expect(JSON.stringify(copy)).toContain("[redacted]");
    }
  });

  it.each<[string, unknown]>([
    ["path password", { op: "replace", path: "password", value: CANARY }],
    ["path Password, op Replace", { op: "Replace", path: "Password", value: CANARY }],
    ["the URN-qualified path", { op: "replace", path: `${CORE}:password`, value: CANARY }],
    ["a pathless value", { op: "replace", value: { password: CANARY, active: true } }],
    ["a pathless value with the URN-qualified name", { op: "add", value: { [`${CORE}:password`]: CANARY } }],
  ])("PATCH: %s is redacted", (_, op) => {
    const copy = redactBody(
      { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [op] },
      { kind: "User", method: "PATCH" },
    );
    expect(has(copy)).toBe(false);
  });

  it("keeps what is not secret, extension attributes included, and the shape of the request", () => {
    const copy = redactBody(
      {
        Operations: [
          { op: "replace", path: "active", value: false },
          { op: "replace", path: `${ENT}:department`, value: "Eng" },
        ],
      },
      { kind: "User", method: "PATCH" },
    );
    expect(copy).toEqual({
      Operations: [
        { op: "replace", path: "active", value: false },
        { op: "replace", path: `${ENT}:department`, value: "Eng" },
      ],
    });
    expect(
      redactBody({ userName: "a@x.com", name: { givenName: "A" }, [ENT]: { department: "Eng" } }, { kind: "User", method: "POST" }),
    ).toEqual({
      userName: "a@x.com",
      name: { givenName: "A" },
      [ENT]: { department: "Eng" },
    });
  });

  it("keeps at most LOG_REQUEST_MAX characters of a large request, marked as cut", () => {
    const members = Array.from({ length: 20 }, (_, i) => ({ value: `${i}`.padStart(36, "0"), display: "x".repeat(280) }));
    const copy = redactBody({ displayName: "Big", members }, { kind: "Group", method: "PUT" }) as Record<string, unknown>;
    expect(JSON.stringify(copy).length).toBeLessThanOrEqual(LOG_REQUEST_MAX);
    expect(copy.truncated).toMatch(/characters of JSON, the first \d+ kept/);
    expect(JSON.stringify(copy.start).length).toBeGreaterThan(LOG_REQUEST_MAX - 200);
  });
});
