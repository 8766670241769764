import { describe, expect, it } from "vitest";
import { decideSsoSignIn, type PersonFacts } from "./accept";

const connection = { issuer: "https://acme.okta.com", emailAuthoritative: false };
const claims = { iss: "https://acme.okta.com", sub: "00u1", email: "alice@example.org", email_verified: true };
const member = (over: Partial<PersonFacts> = {}): PersonFacts => ({
  accountId: "acc-1",
  linkedSubject: null,
  membership: { role: "member", since: "1700000000000000" },
  scimUser: { active: true },
  ...over,
});
const decide = (over: Partial<Parameters<typeof decideSsoSignIn>[0]> = {}) =>
  decideSsoSignIn({ claims, connection, bySubject: null, byEmail: member(), ...over });
const reason = (d: ReturnType<typeof decideSsoSignIn>) => (d.ok ? "accepted" : d.reason);

describe("who an org's IdP may sign in", () => {
  it("an active SCIM member: accepted, with the membership it signs in against, and linked on the first sign-in", () => {
    expect(decide()).toEqual({ ok: true, accountId: "acc-1", role: "member", since: "1700000000000000", link: true });
    expect(decide({ byEmail: null, bySubject: member({ linkedSubject: "00u1" }) })).toMatchObject({ ok: true, link: false });
  });

  it("a member the org added by hand (no SCIM user) is accepted; so is the Owner", () => {
    expect(reason(decide({ byEmail: member({ scimUser: null }) }))).toBe("accepted");
    expect(decide({ byEmail: member({ scimUser: null, membership: { role: "owner", since: "1" } }) })).toMatchObject({
      ok: true,
      role: "owner",
    });
  });

  it("never provisioned (no account, or an account that is not a member): refused; nothing is created", () => {
    expect(reason(decide({ byEmail: null }))).toBe("not-member");
    expect(reason(decide({ byEmail: member({ membership: null, scimUser: null }) }))).toBe("not-member");
  });

  it("deprovisioned: a deactivated SCIM user, even the Owner's; a linked person no longer in the org", () => {
    expect(reason(decide({ byEmail: member({ membership: null, scimUser: { active: false } }) }))).toBe("deprovisioned");
    expect(reason(decide({ byEmail: member({ membership: { role: "owner", since: "1" }, scimUser: { active: false } }) }))).toBe(
      "deprovisioned",
    );
    expect(reason(decide({ byEmail: null, bySubject: member({ linkedSubject: "00u1", membership: null, scimUser: null }) }))).toBe(
      "deprovisioned",
    );
  });

  it("the email must be verified unless the org treats its IdP as authoritative; the string 'true' counts", () => {
    expect(reason(decide({ claims: { ...claims, email_verified: false } }))).toBe("unverified-email");
    expect(reason(decide({ claims: { ...claims, email_verified: undefined } }))).toBe("unverified-email");
    expect(reason(decide({ claims: { ...claims, email_verified: "true" } }))).toBe("accepted");
    expect(
      reason(decide({ claims: { ...claims, email_verified: undefined }, connection: { ...connection, emailAuthoritative: true } })),
    ).toBe("accepted");
  });

  it("matches on sub first: an email change at the IdP does not break sign-in, and an unverified new email does not matter", () => {
    const linked = member({ accountId: "acc-1", linkedSubject: "00u1" });
    const d = decide({ claims: { ...claims, email: "alice.new@example.org", email_verified: false }, bySubject: linked, byEmail: null });
    expect(d).toMatchObject({ ok: true, accountId: "acc-1", link: false });
  });

  it("an account linked to another sub at this IdP is refused", () => {
    expect(reason(decide({ byEmail: member({ linkedSubject: "00u-someone-else" }) }))).toBe("linked-elsewhere");
  });

  it("another issuer, a missing sub or a missing email is refused", () => {
    expect(reason(decide({ claims: { ...claims, iss: "https://evil.example" } }))).toBe("wrong-issuer");
    expect(reason(decide({ claims: { ...claims, iss: "https://acme.okta.com/" } }))).toBe("accepted"); // trailing slash only
    expect(reason(decide({ claims: { ...claims, sub: "" } }))).toBe("invalid-claims");
    expect(reason(decide({ claims: { ...claims, email: undefined } }))).toBe("invalid-claims");
  });
});
