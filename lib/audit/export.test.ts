import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { openTestDatabase, uniqueSuffix } from "@/db/test-support";
import { createOrganization } from "@/lib/orgs/create-organization";
import { auditExportStream, CSV_COLUMNS, csvCell, csvRow } from "./export";

describe("CSV cells (RFC 4180, formula injection)", () => {
  it("quotes what needs quoting and doubles quotes", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("cr\rhere")).toBe('"cr\rhere"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(42)).toBe("42");
    expect(csvRow(["a", "b,c", null])).toBe('a,"b,c",\r\n');
  });

  it("neutralises cells a spreadsheet would read as a formula", () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvCell("+1+1")).toBe("'+1+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\t=1")).toBe("'\t=1");
    expect(csvCell("=1,2")).toBe('"\'=1,2"');
    expect(csvCell("a=b")).toBe("a=b");
  });
});

describe("the export stream", () => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await openTestDatabase();
  });
  afterAll(() => h?.close());

  async function text(stream: ReadableStream<Uint8Array>) {
    return new Response(stream).text();
  }

  it("writes a CSV header and a row per event, and one JSON array, newest first, only the org's events", async () => {
    const make = async () =>
      (await createOrganization(h.db, { name: "Export Co", ownerEmail: `x.${uniqueSuffix()}@example.com`, ownerPassword: "password-123" }))
        .org.id;
    const [orgId, otherId] = [await make(), await make()];
    const row = (org: string, action: "scim.enabled" | "scim.disabled", label: string) => ({
      orgId: org,
      actorKind: "web",
      actorEmail: "=cmd@example.com",
      action,
      targetType: "organization",
      targetLabel: label,
      details: { from: "admin", to: "member" },
    });
    await h.db
      .insert(auditEvents)
      .values([row(orgId, "scim.enabled", "Export, Co"), row(otherId, "scim.enabled", "Other"), row(orgId, "scim.disabled", "Export Co")]);

    const csv = await text(auditExportStream(h.db, orgId, {}, "csv"));
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(CSV_COLUMNS.join(","));
    expect(lines).toHaveLength(4); // header, two rows, the empty string after the last CRLF
    expect(lines[1]).toContain(",scim.disabled,Turned SCIM off,organization,,Export Co,");
    expect(lines[2]).toContain(',scim.enabled,Turned SCIM on,organization,,"Export, Co",');
    expect(lines[1]).toContain(",'=cmd@example.com,");
    expect(lines[1]).toMatch(/,"\{""(from|to)"":.*""member"".*\}"$/); // jsonb orders the keys its own way
    expect(csv).not.toContain("Other");

    const json = JSON.parse(await text(auditExportStream(h.db, orgId, {}, "json"))) as { action: string; actor: { email: string } }[];
    expect(json.map((e) => e.action)).toEqual(["scim.disabled", "scim.enabled"]);
    expect(json[0]).toMatchObject({
      actionLabel: "Turned SCIM off",
      actor: { kind: "web", email: "=cmd@example.com" },
      details: { from: "admin", to: "member" },
    });
    expect(JSON.parse(await text(auditExportStream(h.db, orgId, { action: "stack.created" }, "json")))).toEqual([]);
  });
});
