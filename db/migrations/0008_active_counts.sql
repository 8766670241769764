DROP INDEX "scim_users_org_inactive_idx";--> statement-breakpoint
CREATE INDEX "scim_users_org_inactive_idx" ON "scim_users" USING btree ("org_id","id") WHERE not "scim_users"."active";