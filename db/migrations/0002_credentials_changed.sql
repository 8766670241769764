-- Servers keep the SCIM credentials they have checked in memory for a few seconds (lib/scim/credential-cache.ts).
-- Whatever changes whether a credential is good — revoking or expiring a token or a grant, turning SCIM off,
-- deleting any of them — tells every server at commit, whichever process or person made the change.
CREATE FUNCTION portal_credentials_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('portal_credentials', TG_TABLE_NAME);
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER scim_tokens_credentials_changed AFTER UPDATE OF revoked_at, expires_at, org_id, token_hash OR DELETE OR TRUNCATE ON scim_tokens FOR EACH STATEMENT EXECUTE FUNCTION portal_credentials_changed();--> statement-breakpoint
CREATE TRIGGER oauth_tokens_credentials_changed AFTER UPDATE OF revoked_at, expires_at, grant_id, token_hash OR DELETE OR TRUNCATE ON oauth_tokens FOR EACH STATEMENT EXECUTE FUNCTION portal_credentials_changed();--> statement-breakpoint
CREATE TRIGGER oauth_grants_credentials_changed AFTER UPDATE OF revoked_at, org_id, scope OR DELETE OR TRUNCATE ON oauth_grants FOR EACH STATEMENT EXECUTE FUNCTION portal_credentials_changed();--> statement-breakpoint
CREATE TRIGGER organizations_credentials_changed AFTER UPDATE OF scim_enabled OR DELETE OR TRUNCATE ON organizations FOR EACH STATEMENT EXECUTE FUNCTION portal_credentials_changed();
