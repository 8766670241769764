import { describe, expect, it } from "vitest";
import { safeCallback } from "./safe-callback";

const APP = "https://portal.example.com";

describe("safeCallback", () => {
  it("keeps paths of this app", () => {
    expect(safeCallback("/org-admin/sso?test=ok", APP)).toBe("/org-admin/sso?test=ok");
    expect(safeCallback(["/my-access", "/x"], APP)).toBe("/my-access");
    expect(safeCallback(undefined, APP)).toBe("/");
    expect(safeCallback("https://portal.example.com/org-admin/scim#log", APP)).toBe("/org-admin/scim#log");
  });

  it("never sends people to another origin, however it is spelled", () => {
    for (const v of [
      "//evil.example",
      "/\\evil.example",
      decodeURIComponent("%2F%5Cevil.example"),
      "\\\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "https://evil.example/path?q=1",
      "https://x//evil.example",
      "http://portal.example.com/",
      "javascript:alert(1)",
      "data:text/html,hi",
    ]) {
      const out = safeCallback(v, APP);
      expect(out.startsWith("/"), v).toBe(true);
      expect(out.startsWith("//"), v).toBe(false);
      expect(out, v).not.toMatch(/[\\\t\n]/);
      expect(new URL(out, APP).origin, v).toBe(APP);
    }
    expect(safeCallback("https://evil.example/path?q=1", APP)).toBe("/");
    expect(safeCallback("https://portal.example.com//evil.example", APP)).toBe("/evil.example");
  });
});
