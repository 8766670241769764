import type { MemberCounts } from "./group-counts";

/**
 * The words of every count of a group's people (no database here: client components use it too). A count says the
 * people whose access is at stake — active members — and then how many more are inactive.
 */

/** "12 members", "12 members and 3 inactive", "no active members and 3 inactive", "no members". */
export function describeMembers(c: MemberCounts, noun: [string, string] = ["member", "members"]): string {
  if (c.active === 0 && c.inactive === 0) return `no ${noun[1]}`;
  const active = c.active === 0 ? `no active ${noun[1]}` : `${c.active.toLocaleString("en-US")} ${c.active === 1 ? noun[0] : noun[1]}`;
  return c.inactive ? `${active} and ${c.inactive.toLocaleString("en-US")} inactive` : active;
}

/** " 1 more member is inactive." (with its leading space), or nothing. */
export function inactiveSentence(n: number, tail = ""): string {
  return n ? ` ${n.toLocaleString("en-US")} more ${n === 1 ? "member is" : "members are"} inactive${tail}.` : "";
}

/** What removing a group's mapping does to its members, for the confirmation. */
export function describeRemoval(group: string, { active, inactive }: MemberCounts): string {
  const who =
    active === 0
      ? `No active member of ${group} has access through this mapping: removing it changes no one's access now.`
      : active === 1
        ? `The 1 active member of ${group} loses what this mapping gives them at once, keeping only what their other groups grant.`
        : `The ${active.toLocaleString("en-US")} active members of ${group} lose what this mapping gives them at once, keeping only what their other groups grant.`;
  return who + inactiveSentence(inactive, " and already without access");
}
