import { readFileSync } from "node:fs";

/** The org the members spec manages (made by prepare.mts): its Owner, a hand-made Admin, an outsider with an account, an IdP-managed member and an expired invitation link. */
export const MEMBERS_FIXTURES_FILE = "test-results/.members/fixtures.json";
export const MEMBERS_PASSWORD = "members-pass-123";

export type MembersFixture = {
  orgId: string;
  orgName: string;
  ownerEmail: string;
  adminEmail: string;
  outsiderEmail: string;
  scimMemberEmail: string;
  expiredInvitationPath: string;
};

export function membersFixture(): MembersFixture {
  return JSON.parse(readFileSync(MEMBERS_FIXTURES_FILE, "utf8")) as MembersFixture;
}
