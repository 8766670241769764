// POST /oauth/authorize/decision — the consent form's answer: Authorize & Install (→ code) or Cancel (→ access_denied).
import { getDb } from "@/db/client";
import { webActor } from "@/lib/audit/actor";
import { currentAccount, sessionOrgs } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { escapeHtml } from "@/lib/http/html";
import { BODY_LIMITS, BodyTooLarge, readBodyText } from "@/lib/http/body";
import { logger, requestIdOf } from "@/lib/logger";
import { checkAuthorizeRequest, codeRedirect, consentTokenValid, errorRedirect, requestFields } from "@/lib/oauth/authorize";
import { authorizeInstall } from "@/lib/oauth/grants";
import { isAdminRole } from "@/lib/org-admin/context";
import { getOrganization } from "@/lib/orgs/queries";

export const dynamic = "force-dynamic";

function page(status: number, message: string): Response {
  return new Response(
    `<!doctype html><meta charset="utf-8"><title>Authorization failed</title><h1>Authorization failed</h1><p>${escapeHtml(message)}</p>`,
    {
      status,
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
    },
  );
}

const seeOther = (location: string) => new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });

export async function POST(req: Request) {
  const requestId = requestIdOf(req.headers);
  const origin = req.headers.get("origin");
  if (origin && origin !== new URL(getEnv().appUrl).origin) return page(403, "This form must be sent from the consent page.");
  let form: URLSearchParams;
  try {
    form = new URLSearchParams(await readBodyText(req, BODY_LIMITS.htmlForm));
  } catch (e) {
    if (e instanceof BodyTooLarge)
      return page(413, `This form is larger than ${e.limit} bytes. Go back to your identity provider and start again.`);
    throw e;
  }
  const check = checkAuthorizeRequest(form);
  if (check.kind === "fatal") return page(400, `${check.title}. ${check.message}`);
  if (check.kind === "redirect") return seeOther(check.location);
  const { request } = check;
  const account = await currentAccount();
  const accountId = account?.id;
  if (!account || !accountId) return page(401, "Your session has ended. Go back to your identity provider and start again.");
  if (!consentTokenValid(form.get("consent") ?? "", accountId, requestFields(request)))
    return page(403, "This consent form has expired or was not issued to you. Go back to your identity provider and start again.");

  if (form.get("decision") !== "allow") {
    logger().info({ requestId, event: "oauth_consent_denied", clientId: request.client.id, accountId }, "consent cancelled");
    return seeOther(errorRedirect(request.redirectUri, "access_denied", "The administrator cancelled the authorization.", request.state));
  }
  const db = await getDb();
  const orgId = form.get("org_id") ?? "";
  // Only an org this session may open (a session from another org's IdP does not open this one).
  const membership = (await sessionOrgs(account)).open.find((o) => o.id === orgId);
  if (!membership || !isAdminRole(membership.role))
    return seeOther(
      errorRedirect(
        request.redirectUri,
        "access_denied",
        "Only an Owner or Admin of the organization can authorize provisioning.",
        request.state,
      ),
    );
  const org = await getOrganization(db, orgId);
  if (!org?.scimEnabled)
    return seeOther(
      errorRedirect(
        request.redirectUri,
        "access_denied",
        "SCIM is not enabled for this organization: enable it in Org Admin → SCIM, then authorize again.",
        request.state,
      ),
    );
  const code = await authorizeInstall(db, await webActor(account), {
    clientId: request.client.id,
    orgId,
    accountId,
    redirectUri: request.redirectUri,
    scope: request.scopes.join(" "),
    codeChallenge: request.codeChallenge ?? null,
    codeChallengeMethod: request.codeChallenge ? "S256" : null,
  });
  logger().info({ requestId, event: "oauth_consent_granted", clientId: request.client.id, orgId, accountId }, "consent granted");
  return seeOther(codeRedirect(request.redirectUri, code, request.state));
}
