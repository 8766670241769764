import { describe, expect, it } from "vitest";
import { safeCallback } from "./safe-callback";

describe("safeCallback", () => {
  it("keeps paths of this app", () => {
    expect(safeCallback("/org-admin/sso?test=ok")).toBe("/org-admin/sso?test=ok");
    expect(safeCallback(["/my-access", "/x"])).toBe("/my-access");
    expect(safeCallback(undefined)).toBe("/");
  });
  it("never sends people to another origin", () => {
    for (const v of [
      "//evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "https://evil.example//x",
      "/a\u0000b",
      "javascript:alert(1)",
    ]) {
      const out = safeCallback(v);
      expect(out.startsWith("/")).toBe(true);
      expect(out.startsWith("//")).toBe(false);
      expect(out).not.toContain("\\");
    }
    expect(safeCallback("https://evil.example/path?q=1")).toBe("/path?q=1");
  });
});
