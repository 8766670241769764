import type { AccessEffect, EventFacts } from "./transaction";

/**
 * The provisioning log's sentence for one request — "Created alice@example.org — joined as Member", "Added 2 members
 * to Engineering", "Refused to create bob@example.org: userName already taken" — computed when the event is recorded
 * from what the use case knew (names as written, member counts, the access effect, the SCIM error), so the log page
 * renders it without joins and it stays true after the person or group is renamed or deleted. Pure.
 */

export type DescribedRequest = {
  method: string;
  status: number;
  resourceType?: "User" | "Group";
  /** Which endpoint of the resource: `/Users`, `/Users/{id}`, `/Users/.search`; `other` for discovery and the root. */
  endpoint: "collection" | "item" | "search" | "other";
  /** The path after the base URL (decoded), for the endpoints that have no resource. */
  path: string;
  resourceId?: string;
  facts?: EventFacts;
  access?: AccessEffect;
  error?: { detail: string; scimType?: string };
  /** The userName or displayName the request body carried (what a refused create was trying to make). */
  requestedName?: string;
  /** A list's answer: its totalResults and the filter it was asked (as given). */
  list?: { total: number; returned: number; filter?: string };
};

const MAX_SENTENCE = 300;
const ROLE: Record<string, string> = { owner: "Owner", admin: "Admin", member: "Member" };
const roleWord = (r: string) => ROLE[r] ?? r;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** What a change of access amounts to, in a few words ("2 became Admin; 2 gained Developer on Marketing"). */
export function accessWords(a: AccessEffect | undefined): string[] {
  if (!a) return [];
  const words: string[] = [];
  const sameTo = new Set(a.sample.roles.map((r) => r.to));
  if (a.roleChanges)
    words.push(sameTo.size === 1 ? `${a.roleChanges} became ${roleWord([...sameTo][0]!)}` : plural(a.roleChanges, "role change"));
  const stackPhrase = (n: number, sample: { stack: string; role: string }[], verb: string, noun: string) => {
    if (!n) return;
    const kinds = new Set(sample.map((g) => `${g.role} on ${g.stack}`));
    words.push(kinds.size === 1 ? `${n} ${verb} ${[...kinds][0]}` : `${plural(n, noun)} ${verb === "gained" ? "granted" : "revoked"}`);
  };
  stackPhrase(a.stackGrants, a.sample.granted, "gained", "stack role");
  stackPhrase(a.stackRevocations, a.sample.revoked, "lost", "stack role");
  return words;
}

/** The role a single person ended with when they joined: the last role change of the effect, else Member. */
const joinedRole = (a: AccessEffect) => roleWord(a.sample.roles.at(-1)?.to ?? "member");

function userSentence(r: DescribedRequest, name: string): string {
  const a = r.access;
  const f = r.facts ?? {};
  const rest = (words: string[]) => (words.length ? ` — ${words.join("; ")}` : "");
  if (r.method === "POST") {
    if (f.activeNow === false)
      return `Created ${name}, deactivated${a?.membership === "removed" ? " — removed from the organization" : ""}`;
    return `Created ${name}${a?.membership === "joined" ? ` — joined as ${joinedRole(a)}` : rest(accessWords(a))}`;
  }
  if (r.method === "DELETE") return `Deleted ${name}${a?.membership === "removed" ? " — removed from the organization" : ""}`;
  if (f.unchanged) return `No change to ${name}`;
  if (f.activeNow === false) return `Deactivated ${name}${a?.membership === "removed" ? " — removed from the organization" : ""}`;
  if (f.activeNow === true)
    return `Reactivated ${name}${a?.membership === "joined" ? ` — rejoined as ${joinedRole(a)}` : rest(accessWords(a))}`;
  return `Updated ${name}${rest(accessWords(a))}`;
}

function groupSentence(r: DescribedRequest, name: string): string {
  const f = r.facts ?? {};
  const added = f.membersAdded ?? 0;
  const removed = f.membersRemoved ?? 0;
  const access = accessWords(r.access);
  const tail = access.length ? ` — ${access.join("; ")}` : "";
  if (r.method === "POST") return `Created group ${name}${added ? ` with ${plural(added, "member")}` : ""}${tail}`;
  if (r.method === "DELETE") return `Deleted group ${name}${tail}`;
  const parts: string[] = [];
  if (f.renamedFrom !== undefined) parts.push(`Renamed group ${f.renamedFrom} → ${name}`);
  if (added && removed) parts.push(`added ${plural(added, "member")} to and removed ${removed} from ${name}`);
  else if (added) parts.push(`added ${plural(added, "member")} to ${name}`);
  else if (removed) parts.push(`removed ${plural(removed, "member")} from ${name}`);
  if (!parts.length) return f.unchanged ? `No change to group ${name}` : `Updated group ${name}${tail}`;
  const sentence = parts.join("; ");
  return sentence.charAt(0).toUpperCase() + sentence.slice(1) + tail;
}

const NOUN = { User: "user", Group: "group" } as const;

/** The short reason of a refusal: a uniqueness clash named by its attribute, else the detail the IdP was told. */
function reason(r: DescribedRequest): string {
  const e = r.error!;
  if (e.scimType === "uniqueness") return `${r.resourceType === "Group" ? "displayName" : "userName"} already taken`;
  if (r.status >= 500) return "an unexpected error on our side";
  return e.detail.replace(/\.$/, "");
}

function refusalSentence(r: DescribedRequest): string {
  const noun = r.resourceType ? NOUN[r.resourceType] : undefined;
  const named = r.requestedName ?? r.facts?.name;
  let what = "";
  if (noun && r.endpoint === "collection" && r.method === "POST") what = ` to create ${named ?? `a ${noun}`}`;
  else if (noun && r.endpoint === "item") {
    const verb = r.method === "GET" ? "read" : r.method === "DELETE" ? "delete" : "update";
    what = ` to ${verb} ${named ?? `${noun} ${r.resourceId ?? r.path.split("/")[2] ?? ""}`.trim()}`;
  }
  return `Refused${what}: ${reason(r)}`;
}

function readSentence(r: DescribedRequest): string {
  const nouns = r.resourceType ? `${NOUN[r.resourceType]}s` : "users and groups";
  if (r.endpoint === "item") return `Read ${r.resourceType === "Group" ? "group " : ""}${r.facts?.name ?? r.resourceId ?? r.path}`;
  if (r.list) {
    const found = r.list.total === 0 ? "no match" : plural(r.list.total, "match", "matches");
    if (r.list.filter) return `Looked up ${nouns} where ${r.list.filter} — ${found}`;
    return `Listed ${nouns}: ${r.list.returned} of ${r.list.total}`;
  }
  const first = r.path.split(/[/?]/)[1]?.toLowerCase() ?? "";
  if (first === "serviceproviderconfig") return "Read the service provider configuration";
  if (first === "schemas") return "Read the schemas";
  if (first === "resourcetypes") return "Read the resource types";
  return `${r.method} ${r.path}`;
}

export function describeRequest(r: DescribedRequest): string {
  let sentence: string;
  if (r.error || r.status >= 400) sentence = refusalSentence({ ...r, error: r.error ?? { detail: `status ${r.status}` } });
  else if (r.method === "GET" || r.endpoint === "search" || r.endpoint === "other") sentence = readSentence(r);
  else if (r.resourceType === "User") sentence = userSentence(r, r.facts?.name ?? `user ${r.resourceId}`);
  else if (r.resourceType === "Group") sentence = groupSentence(r, r.facts?.name ?? `group ${r.resourceId}`);
  else sentence = `${r.method} ${r.path}`;
  return cut(sentence, MAX_SENTENCE);
}

/** The sentence of a mapping saved or removed in Org Admin, with what it changed. */
export function describeMappingChange(kind: "saved" | "removed", group: string, orgRole: string | undefined, access: AccessEffect): string {
  const words = accessWords(access);
  const changed = words.length ? ` — ${words.join("; ")}` : " — no one's access changed";
  const head = kind === "saved" ? `Mapped group ${group} to ${roleWord(orgRole ?? "member")}` : `Removed the mapping of group ${group}`;
  return cut(head + changed, MAX_SENTENCE);
}
