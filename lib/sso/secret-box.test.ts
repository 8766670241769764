import { describe, expect, it } from "vitest";
import { seal, sign, unseal, UnsealError, verifySigned } from "./secret-box";

const KEY = "k".repeat(40);

describe("secret box", () => {
  it("seals so the stored text does not contain the secret, and unseals it with the same key", () => {
    const sealed = seal(KEY, "client-secret-value");
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain("client-secret-value");
    expect(seal(KEY, "client-secret-value")).not.toBe(sealed); // a fresh IV each time
    expect(unseal(KEY, sealed)).toBe("client-secret-value");
  });

  it("refuses another key, another purpose and a tampered text", () => {
    const sealed = seal(KEY, "s3cret");
    expect(() => unseal("x".repeat(40), sealed)).toThrow(UnsealError);
    expect(() => unseal(KEY, sealed, "other")).toThrow(UnsealError);
    const parts = sealed.split(".");
    parts[2] = Buffer.from("tampered").toString("base64url");
    expect(() => unseal(KEY, parts.join("."))).toThrow(UnsealError);
    expect(() => unseal(KEY, "plain")).toThrow(UnsealError);
  });

  it("signs values and refuses a changed value or signature", () => {
    const s = sign(KEY, "org1.acct.123", "sso-test");
    expect(verifySigned(KEY, s, "sso-test")).toBe("org1.acct.123");
    expect(verifySigned(KEY, s.replace("org1", "org2"), "sso-test")).toBeNull();
    expect(verifySigned(KEY, s, "other")).toBeNull();
    expect(verifySigned(KEY, s + "x", "sso-test")).toBeNull();
    expect(verifySigned(KEY, "nodot", "sso-test")).toBeNull();
  });
});
