import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { flushProvisioningLog, recentEvents } from "@/lib/provisioning/log";
import { call, h, scimOrg, withScimDatabase } from "@/lib/provisioning/test-harness";

// The SCIM endpoint refusing values the database cannot hold, in the SCIM dialect.
withScimDatabase();

describe("NUL characters", () => {
  it("are refused with a SCIM 400, and the request is still recorded", async () => {
    const a = await scimOrg();
    const res = await call(a.orgId, a.token, "POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "nul\u0000@example.com",
      displayName: "N\u0000L",
    });
    expect(res.status).toBe(400);
    await flushProvisioningLog();
    const [event] = await recentEvents(h.db, a.orgId, 1);
    expect(event).toMatchObject({ method: "POST", status: 400 });
    expect(JSON.stringify(event!.requestBody)).toContain("\uFFFD");
    const filtered = await call(a.orgId, a.token, "GET", `/Users?filter=${encodeURIComponent('userName eq "a\u0000b"')}`);
    expect(filtered.status).toBe(400);
    expect(await filtered.json()).toMatchObject({ scimType: "invalidValue", detail: expect.stringContaining("NUL") });
  });

  it("a value too long for an index is a SCIM 400, not a 500", async () => {
    const a = await scimOrg();
    const res = await call(a.orgId, a.token, "POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: `${randomBytes(4500).toString("hex")}@example.com`,
    }); // incompressible
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ scimType: "invalidValue", detail: expect.stringContaining("too long") });
  });
});
