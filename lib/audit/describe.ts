import { ROLE_LABEL } from "@/lib/orgs/roles";

/**
 * An audit event's details in a few words for the Audit log's table ("Admin → Member", "3 role changes, 10 stack
 * grants"). Details are whatever each action recorded, so this reads common shapes and falls back to "key: value";
 * the export keeps the details whole.
 */

const MAX = 160;

/** Role keys read as the page names them (admin → Admin); anything else as it is. */
function word(v: unknown): string {
  if (typeof v === "string") return (ROLE_LABEL as Record<string, string>)[v] ?? v;
  if (typeof v === "boolean") return v ? "on" : "off";
  if (v === null || v === undefined) return "none";
  if (typeof v === "number") return v.toLocaleString("en-US");
  return JSON.stringify(v);
}

/** roleChanges → "role changes". */
function keyWords(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase();
}

/** 3 and roleChanges → "3 role changes"; one of them → "1 role change". */
function countWords(key: string, n: number): string {
  const words = keyWords(key);
  return `${n.toLocaleString("en-US")} ${n === 1 ? words.replace(/(ie)?s$/, (_m, ie) => (ie ? "y" : "")) : words}`;
}

const isChange = (v: unknown): v is { from: unknown; to: unknown } =>
  typeof v === "object" && v !== null && !Array.isArray(v) && "from" in v && "to" in v;

export function summarizeDetails(details: Record<string, unknown> | null | undefined): string {
  if (!details) return "";
  const parts: string[] = [];
  if ("from" in details && "to" in details) parts.push(`${word(details.from)} → ${word(details.to)}`);
  else if ("before" in details && "after" in details) parts.push(`${word(details.before)} → ${word(details.after)}`);
  for (const [key, value] of Object.entries(details)) {
    if (["from", "to", "before", "after"].includes(key)) continue;
    if (typeof value === "number") parts.push(countWords(key, value));
    else if (isChange(value)) parts.push(`${keyWords(key)}: ${word(value.from)} → ${word(value.to)}`);
    else if (Array.isArray(value)) parts.push(countWords(key, value.length));
    else if (value !== null && value !== undefined && typeof value !== "object") parts.push(`${keyWords(key)}: ${word(value)}`);
  }
  const text = parts.join(", ");
  return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
}

/** Who acted, in the page's words: their email, "Admin CLI" or "System". */
export function actorLabel(e: { actorKind: string; actorEmail: string | null }): string {
  if (e.actorKind === "cli") return "Admin CLI";
  if (e.actorKind === "system") return "System";
  return e.actorEmail ?? "Unknown person";
}

/** How they acted: "Org Admin", "Admin CLI", "SSO sign-in", … */
export function viaLabel(kind: string): string {
  return (
    (
      { web: "Org Admin", cli: "Admin CLI", sso: "SSO sign-in", password: "Password sign-in", system: "The portal" } as Record<
        string,
        string
      >
    )[kind] ?? kind
  );
}

const BROWSERS: [string, RegExp][] = [
  ["Edge", /\bEdg\/(\d+)/],
  ["Firefox", /\bFirefox\/(\d+)/],
  ["Chrome", /\bChrom(?:e|ium)\/(\d+)/],
  ["Safari", /\bVersion\/(\d+).*\bSafari\//],
];
const SYSTEMS: [string, RegExp][] = [
  ["Windows", /Windows/],
  ["iOS", /iPhone|iPad/],
  ["macOS", /Mac OS X/],
  ["Android", /Android/],
  ["Linux", /Linux/],
];

/** "Chrome 131 on Windows" from a user agent string (the page keeps the whole string as the title); else its start. */
export function shortUserAgent(ua: string): string {
  const browser = BROWSERS.map(([name, re]) => [name, re.exec(ua)?.[1]] as const).find(([, version]) => version);
  const os = SYSTEMS.find(([, re]) => re.test(ua))?.[0];
  if (browser) return `${browser[0]} ${browser[1]}${os ? ` on ${os}` : ""}`;
  return ua.length > 40 ? `${ua.slice(0, 39)}…` : ua;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** "just now", "5 minutes ago", "yesterday", "3 weeks ago". */
export function relativeTime(at: Date, now = new Date()): string {
  const ms = now.getTime() - at.getTime();
  if (Math.abs(ms) < 60_000) return "just now";
  const rtf = new Intl.RelativeTimeFormat("en-US", { numeric: "auto" });
  for (const [unit, size] of UNITS) if (Math.abs(ms) >= size) return rtf.format(-Math.trunc(ms / size), unit);
  return "just now";
}

/** "Dec 1, 2026, 8:26:44 PM UTC": the exact time, as the filters' days are UTC days. */
export function exactTime(at: Date): string {
  return `${at.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" })} UTC`;
}
