import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Secrets the portal must read back (an org's OIDC client secret) are sealed with AES-256-GCM. The key is derived
 * (HKDF-SHA256) from deployment configuration: `SECRETS_ENCRYPTION_KEY` when set, else `NEXTAUTH_SECRET` — so a
 * database dump alone does not reveal them. Changing that setting makes sealed secrets unreadable: the SSO page
 * then says so and asks for the secret again. Format: `v1.<iv>.<ciphertext>.<tag>`, base64url.
 */
function key(masterKey: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(masterKey, "utf8"), Buffer.alloc(0), `portal/${purpose}/v1`, 32));
}

export function seal(masterKey: string, plaintext: string, purpose = "sso-client-secret"): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(masterKey, purpose), iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), body.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

export class UnsealError extends Error {
  override name = "UnsealError";
}

export function unseal(masterKey: string, sealed: string, purpose = "sso-client-secret"): string {
  const [version, iv, body, tag] = sealed.split(".");
  if (version !== "v1" || !iv || body === undefined || !tag) throw new UnsealError("not a sealed secret");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(masterKey, purpose), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new UnsealError("the secret was sealed with another key (SECRETS_ENCRYPTION_KEY or NEXTAUTH_SECRET changed)");
  }
}

/** `value.signature`: an HMAC-SHA256 over value with a key derived like seal's, for short-lived cookies. */
export function sign(masterKey: string, value: string, purpose: string): string {
  return `${value}.${createHmac("sha256", key(masterKey, purpose)).update(value).digest("base64url")}`;
}

/** The value of a `sign`ed string, or null when the signature does not match. */
export function verifySigned(masterKey: string, signed: string, purpose: string): string | null {
  const at = signed.lastIndexOf(".");
  if (at <= 0) return null;
  const value = signed.slice(0, at);
  const expected = Buffer.from(sign(masterKey, value, purpose).slice(at + 1));
  const given = Buffer.from(signed.slice(at + 1));
  return expected.length === given.length && timingSafeEqual(expected, given) ? value : null;
}
