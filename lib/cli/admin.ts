import { parseArgs } from "node:util";
import { AUDIT_COMMANDS } from "./audit-commands";
import { orgOption, printTable, required, requireOrg, UsageError, type Command, type Io, type Values } from "./command";
import { openDatabase } from "@/db/client";
import { DatabaseInUseError } from "@/db/pglite-lock";
import { EnvError } from "@/lib/env";
import { CLI_ACTOR } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { createOrganization } from "@/lib/orgs/create-organization";
import { listOrganizations } from "@/lib/orgs/queries";
import { setScimEnabled } from "@/lib/orgs/set-scim-enabled";
import { createScimToken } from "@/lib/credentials/scim-tokens";
import { configureSso, disableSso, getSsoConnection, ssoUrls } from "@/lib/sso/connections";
import { createInvitation } from "@/lib/members/invitations";
import { ROLE_LABEL } from "@/lib/orgs/roles";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password";

/** Exit codes: 0 done, 1 the command failed, 2 bad usage. */
const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  org:create --name <name> --owner-email <email> [--owner-password <password>] [--owner-name <name>]
      Create an organization with its Owner and print the new Organization ID (only the ID, on stdout).
      The password is needed when no account exists for the email yet (at least 8 characters);
      an existing account becomes the Owner and keeps its password.
  org:list [--json]
      List every organization: ID, name, owner, members, SCIM status.
  scim:enable --org <id>
      Turn SCIM provisioning on for an organization (what the Enable SCIM switch in Org Admin does).
  scim:disable --org <id>
      Turn it off: the IdP's calls are refused; users keep their access; nothing is deleted.
  token:create --org <id> [--name <name>] [--expires-in-days <n>]
      Create a SCIM secret token for the organization and print only the token on stdout (shown once;
      only its hash is stored). Use it as 'Authorization: Bearer <token>'.
  sso:configure --org <id> --issuer <url> --client-id <id> [--client-secret <secret>] [--require-sso | --no-require-sso] [--trust-emails]
      Set up (or change) the organization's OpenID Connect sign-in. The issuer is checked with its discovery
      document; the secret is stored encrypted (needed the first time). Prints the Redirect URI on stdout.
  sso:show --org <id> [--json]
      The connection: issuer, client ID, Redirect URI, Initiate login URI, Require SSO, status (never the secret).
  sso:disable --org <id>
      Turn single sign-on off for the organization (its settings and secret are deleted).
  member:invite --org <id> --email <email> [--role admin|member]
      Invite someone to the organization (Member unless told) and print only the invitation link on stdout
      (nothing is emailed; the link works once and expires after INVITATION_TTL_HOURS, 7 days by default).
  audit:list --org <id> [--since <date>] [--limit <n>] [--json]
      The organization's audit trail, newest first: when, who, what, target, details (the newest 100 unless
      --limit says otherwise; --since 2026-01-31 or an ISO time). --json prints one JSON object per line.
  audit:prune (--org <id> | --all)
      Delete audit events older than AUDIT_RETENTION_DAYS (default 365) now; the server also does it every 6 hours.
  help, --help
      Show this help.

The CLI opens the same database as the server (DATABASE_URL, else the PGlite folder PGLITE_DIR).
With PGlite it refuses to run while a server holds the folder: stop the server first.`;

const COMMANDS: Record<string, Command> = {
  "org:create": {
    options: {
      name: { type: "string" },
      "owner-email": { type: "string" },
      "owner-password": { type: "string" },
      "owner-name": { type: "string" },
    },
    check(values) {
      ["name", "owner-email"].forEach((n) => required(values, n));
      const password = values["owner-password"];
      if (typeof password === "string" && password.length < MIN_PASSWORD_LENGTH)
        throw new UsageError(`--owner-password needs at least ${MIN_PASSWORD_LENGTH} characters`);
    },
    async run(db, values, io) {
      const result = await createOrganization(db, {
        name: required(values, "name"),
        ownerEmail: required(values, "owner-email"),
        ownerPassword: values["owner-password"] as string | undefined,
        ownerName: values["owner-name"] as string | undefined,
      });
      io.err(
        `Created "${result.org.name}" with owner ${values["owner-email"]}${result.ownerCreated ? " (new account)" : " (existing account)"}.`,
      );
      io.out(result.org.id);
      return 0;
    },
  },
  "org:list": {
    options: { json: { type: "boolean" } },
    async run(db, values, io) {
      const orgs = await listOrganizations(db);
      if (values.json) {
        io.out(JSON.stringify(orgs, null, 2));
        return 0;
      }
      if (orgs.length === 0) {
        io.err("No organizations yet. Create one with: npm run admin -- org:create --name … --owner-email … --owner-password …");
        return 0;
      }
      const rows = orgs.map((o) => [o.id, o.name, o.ownerEmail ?? "—", String(o.members), o.scimEnabled ? "on" : "off"]);
      printTable(io, ["ORGANIZATION ID", "NAME", "OWNER", "MEMBERS", "SCIM"], rows);
      return 0;
    },
  },
};

function setScim(enabled: boolean): Command {
  return {
    options: orgOption,
    check: (values) => void required(values, "org"),
    async run(db, values, io) {
      const org = await setScimEnabled(db, await requireOrg(db, values), enabled, CLI_ACTOR);
      io.err(`SCIM is now ${enabled ? "enabled" : "off"} for "${org.name}" (${org.id}).`);
      return 0;
    },
  };
}

COMMANDS["scim:enable"] = setScim(true);
COMMANDS["scim:disable"] = setScim(false);
COMMANDS["token:create"] = {
  options: { ...orgOption, name: { type: "string" }, "expires-in-days": { type: "string" } },
  check(values) {
    required(values, "org");
    const days = values["expires-in-days"];
    if (days !== undefined && !(typeof days === "string" && /^[1-9]\d{0,4}$/.test(days)))
      throw new UsageError("--expires-in-days takes a whole number of days (1 or more)");
  },
  async run(db, values, io) {
    const orgId = await requireOrg(db, values);
    const days = values["expires-in-days"];
    const created = await createScimToken(db, CLI_ACTOR, {
      orgId,
      name: typeof values.name === "string" ? values.name : `CLI token ${new Date().toISOString().slice(0, 10)}`,
      expiresAt: typeof days === "string" ? new Date(Date.now() + Number(days) * 86_400_000) : null,
    });
    io.err(
      `Created SCIM token "${created.name}" (${created.prefix}…)${created.expiresAt ? `, expires ${created.expiresAt.toISOString()}` : ""}. It is shown only now.`,
    );
    io.out(created.token);
    return 0;
  },
};

COMMANDS["sso:configure"] = {
  options: {
    ...orgOption,
    issuer: { type: "string" },
    "client-id": { type: "string" },
    "client-secret": { type: "string" },
    "require-sso": { type: "boolean" },
    "no-require-sso": { type: "boolean" },
    "trust-emails": { type: "boolean" },
  },
  check(values) {
    ["org", "issuer", "client-id"].forEach((n) => required(values, n));
    if (values["require-sso"] && values["no-require-sso"]) throw new UsageError("--require-sso and --no-require-sso contradict each other");
  },
  async run(db, values, io) {
    const orgId = await requireOrg(db, values);
    const saved = await configureSso(db, CLI_ACTOR, {
      orgId,
      issuer: required(values, "issuer"),
      clientId: required(values, "client-id"),
      clientSecret: typeof values["client-secret"] === "string" ? values["client-secret"] : undefined,
      requireSso: values["require-sso"] ? true : values["no-require-sso"] ? false : undefined,
      emailAuthoritative: values["trust-emails"] ? true : undefined,
      by: null,
    });
    const urls = ssoUrls(orgId);
    io.err(
      `Single sign-on for ${orgId}: issuer ${saved.issuer}, client ${saved.clientId}${saved.requireSso ? ", SSO required" : ""}. Paste the Redirect URI into the IdP; Initiate login URI: ${urls.initiateLoginUri}`,
    );
    io.out(urls.redirectUri);
    return 0;
  },
};
COMMANDS["sso:show"] = {
  options: { ...orgOption, json: { type: "boolean" } },
  check: (values) => void required(values, "org"),
  async run(db, values, io) {
    const orgId = await requireOrg(db, values);
    const c = await getSsoConnection(db, orgId);
    if (!c) {
      if (values.json) io.out(JSON.stringify({ orgId, configured: false }));
      else
        io.err(
          `Single sign-on is not set up for ${orgId}. Set it up with: npm run admin -- sso:configure --org ${orgId} --issuer … --client-id … --client-secret …`,
        );
      return 0;
    }
    const shown = {
      orgId,
      configured: true,
      issuer: c.issuer,
      clientId: c.clientId,
      ...ssoUrls(orgId),
      requireSso: c.requireSso,
      trustEmails: c.emailAuthoritative,
      status: c.status,
      lastError: c.lastError,
      lastCheckedAt: c.lastCheckedAt?.toISOString() ?? null,
      secretReadable: c.secretReadable,
    };
    if (values.json) io.out(JSON.stringify(shown, null, 2));
    else for (const [k, v] of Object.entries(shown)) io.out(`${k.padEnd(16)} ${v ?? "—"}`);
    return 0;
  },
};
COMMANDS["sso:disable"] = {
  options: orgOption,
  check: (values) => void required(values, "org"),
  async run(db, values, io) {
    const orgId = await requireOrg(db, values);
    io.err(
      (await disableSso(db, CLI_ACTOR, orgId)) ? `Single sign-on is now off for ${orgId}.` : `Single sign-on was not set up for ${orgId}.`,
    );
    return 0;
  },
};

COMMANDS["member:invite"] = {
  options: { ...orgOption, email: { type: "string" }, role: { type: "string" } },
  check(values) {
    required(values, "org");
    required(values, "email");
    if (values.role !== undefined && values.role !== "admin" && values.role !== "member")
      throw new UsageError("--role is admin or member (the Owner is changed by transferring ownership in Org Admin)");
  },
  async run(db, values, io) {
    const orgId = await requireOrg(db, values);
    const role = values.role === "admin" ? "admin" : "member";
    const { invitation, url } = await createInvitation(db, CLI_ACTOR, { orgId, email: required(values, "email"), role });
    io.err(`Invited ${invitation.email} as ${ROLE_LABEL[role]}; the link works once, until ${invitation.expiresAt.toISOString()}.`);
    io.out(url);
    return 0;
  },
};

Object.assign(COMMANDS, AUDIT_COMMANDS);

export type { Io };

export async function runAdminCli(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    (name ? io.out : io.err)(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`Unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  let values: Values;
  try {
    values = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: false }).values as typeof values;
    if (rest.includes("--help")) {
      io.out(USAGE);
      return 0;
    }
    command.check?.(values);
  } catch (e) {
    io.err(`${e instanceof Error ? e.message.replace(/^TypeError \[\w+\]: /, "") : String(e)}\n\n${USAGE}`);
    return 2;
  }
  let handle;
  try {
    handle = await openDatabase({ role: "admin CLI", maxConnections: 2 });
  } catch (e) {
    io.err(
      e instanceof DatabaseInUseError || e instanceof EnvError
        ? e.message
        : `Could not open the database: ${e instanceof Error ? e.message : String(e)}`,
    );
    return 1;
  }
  try {
    return await command.run(handle.db, values, io);
  } catch (e) {
    io.err(e instanceof AppError ? e.message : `Failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await handle.close();
  }
}
