import { describe, expect, it } from "vitest";
import { actorLabel, relativeTime, shortUserAgent, summarizeDetails } from "./describe";

describe("audit event words", () => {
  it("summarises details in a few words", () => {
    expect(summarizeDetails(null)).toBe("");
    expect(summarizeDetails({ from: "admin", to: "member" })).toBe("Admin → Member");
    expect(summarizeDetails({ roleChanges: 3, stackGrants: 10, stackRevocations: 1 })).toBe(
      "3 role changes, 10 stack grants, 1 stack revocation",
    );
    expect(summarizeDetails({ role: { from: "member", to: "admin" }, reason: "not in the org" })).toBe(
      "role: Member → Admin, reason: not in the org",
    );
    expect(summarizeDetails({ stacks: ["a", "b"] })).toBe("2 stacks");
    expect(summarizeDetails({ note: "x".repeat(300) })).toHaveLength(160);
  });

  it("shortens a user agent", () => {
    const chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    expect(shortUserAgent(chrome)).toBe("Chrome 131 on Windows");
    expect(shortUserAgent(`${chrome} Edg/131.0.0.0`)).toBe("Edge 131 on Windows");
    expect(shortUserAgent("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15")).toBe(
      "Safari 17 on macOS",
    );
    expect(shortUserAgent("curl/8.5.0")).toBe("curl/8.5.0");
  });

  it("names the actor and the time", () => {
    expect(actorLabel({ actorKind: "cli", actorEmail: null })).toBe("Admin CLI");
    expect(actorLabel({ actorKind: "system", actorEmail: null })).toBe("System");
    expect(actorLabel({ actorKind: "web", actorEmail: "a@example.com" })).toBe("a@example.com");
    const now = new Date("2026-06-30T12:00:00Z");
    expect(relativeTime(new Date("2026-06-30T11:59:30Z"), now)).toBe("just now");
    expect(relativeTime(new Date("2026-06-30T11:55:00Z"), now)).toBe("5 minutes ago");
    expect(relativeTime(new Date("2026-06-29T12:00:00Z"), now)).toBe("yesterday");
  });
});
