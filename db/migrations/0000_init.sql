CREATE TYPE "public"."credential_kind" AS ENUM('scim_token', 'oauth');--> statement-breakpoint
CREATE TYPE "public"."grant_source" AS ENUM('manual', 'scim');--> statement-breakpoint
CREATE TYPE "public"."mapped_org_role" AS ENUM('member', 'admin');--> statement-breakpoint
CREATE TYPE "public"."oauth_token_kind" AS ENUM('access', 'refresh');--> statement-breakpoint
CREATE TYPE "public"."org_role" AS ENUM('member', 'admin', 'owner');--> statement-breakpoint
CREATE TABLE "accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"password_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "group_mapping_stack_roles" (
	"group_id" uuid NOT NULL,
	"org_id" text NOT NULL,
	"stack_id" text NOT NULL,
	"stack_role_id" uuid NOT NULL,
	CONSTRAINT "group_mapping_stack_roles_group_id_stack_id_pk" PRIMARY KEY("group_id","stack_id")
);
--> statement-breakpoint
CREATE TABLE "group_mappings" (
	"group_id" uuid PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"org_role" "mapped_org_role" DEFAULT 'member' NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"org_id" text NOT NULL,
	"account_id" uuid NOT NULL,
	"role" "org_role" DEFAULT 'member' NOT NULL,
	"scim_managed" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_org_id_account_id_pk" PRIMARY KEY("org_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "oauth_codes" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"org_id" text NOT NULL,
	"account_id" uuid NOT NULL,
	"redirect_uri" text NOT NULL,
	"scope" text NOT NULL,
	"code_challenge" text,
	"code_challenge_method" text,
	"grant_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "oauth_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" text NOT NULL,
	"client_id" text NOT NULL,
	"authorized_by" uuid,
	"scope" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "oauth_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"grant_id" uuid NOT NULL,
	"kind" "oauth_token_kind" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"scim_enabled" boolean DEFAULT false NOT NULL,
	"scim_enabled_changed_at" timestamp with time zone,
	"scim_enabled_changed_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organizations_id_format" CHECK ("organizations"."id" ~ '^[a-z0-9]{8,64}$')
);
--> statement-breakpoint
CREATE TABLE "provisioning_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "provisioning_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"org_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"request_id" text,
	"credential_kind" "credential_kind",
	"credential_id" uuid,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"status" integer NOT NULL,
	"duration_ms" integer NOT NULL,
	"resource_type" text,
	"resource_id" uuid,
	"request" jsonb,
	"error_detail" text,
	"access_changes" jsonb
);
--> statement-breakpoint
CREATE TABLE "scim_group_members" (
	"org_id" text NOT NULL,
	"group_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scim_group_members_group_id_user_id_pk" PRIMARY KEY("group_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "scim_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" text NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "scim_groups_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"display_name" text NOT NULL,
	"external_id" text,
	"member_count" integer DEFAULT 0 NOT NULL,
	"resource" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scim_groups_org_id_uq" UNIQUE("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "scim_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "scim_users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" text NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "scim_users_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" uuid NOT NULL,
	"user_name" text NOT NULL,
	"external_id" text,
	"active" boolean DEFAULT true NOT NULL,
	"display_name" text,
	"given_name" text,
	"family_name" text,
	"primary_email" text,
	"email_values" text[] DEFAULT '{}'::text[] NOT NULL,
	"resource" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scim_users_org_id_uq" UNIQUE("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "stack_access" (
	"org_id" text NOT NULL,
	"stack_id" text NOT NULL,
	"account_id" uuid NOT NULL,
	"stack_role_id" uuid NOT NULL,
	"source" "grant_source" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stack_access_stack_id_account_id_stack_role_id_source_pk" PRIMARY KEY("stack_id","account_id","stack_role_id","source")
);
--> statement-breakpoint
CREATE TABLE "stack_roles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"stack_id" text NOT NULL,
	"name" text NOT NULL,
	"built_in" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stack_roles_stack_id_uq" UNIQUE("stack_id","id")
);
--> statement-breakpoint
CREATE TABLE "stacks" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stacks_org_id_uq" UNIQUE("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "group_mapping_stack_roles" ADD CONSTRAINT "group_mapping_stack_roles_group_id_group_mappings_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."group_mappings"("group_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_mapping_stack_roles" ADD CONSTRAINT "group_mapping_stack_roles_org_id_stack_id_stacks_org_id_id_fk" FOREIGN KEY ("org_id","stack_id") REFERENCES "public"."stacks"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_mapping_stack_roles" ADD CONSTRAINT "group_mapping_stack_roles_stack_id_stack_role_id_stack_roles_stack_id_id_fk" FOREIGN KEY ("stack_id","stack_role_id") REFERENCES "public"."stack_roles"("stack_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_mappings" ADD CONSTRAINT "group_mappings_updated_by_accounts_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_mappings" ADD CONSTRAINT "group_mappings_org_id_group_id_scim_groups_org_id_id_fk" FOREIGN KEY ("org_id","group_id") REFERENCES "public"."scim_groups"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_codes" ADD CONSTRAINT "oauth_codes_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_codes" ADD CONSTRAINT "oauth_codes_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_codes" ADD CONSTRAINT "oauth_codes_grant_id_oauth_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."oauth_grants"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_grants" ADD CONSTRAINT "oauth_grants_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_grants" ADD CONSTRAINT "oauth_grants_authorized_by_accounts_id_fk" FOREIGN KEY ("authorized_by") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_tokens" ADD CONSTRAINT "oauth_tokens_grant_id_oauth_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."oauth_grants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_scim_enabled_changed_by_accounts_id_fk" FOREIGN KEY ("scim_enabled_changed_by") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_events" ADD CONSTRAINT "provisioning_events_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scim_group_members" ADD CONSTRAINT "scim_group_members_org_id_group_id_scim_groups_org_id_id_fk" FOREIGN KEY ("org_id","group_id") REFERENCES "public"."scim_groups"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scim_group_members" ADD CONSTRAINT "scim_group_members_org_id_user_id_scim_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."scim_users"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scim_groups" ADD CONSTRAINT "scim_groups_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scim_tokens" ADD CONSTRAINT "scim_tokens_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scim_tokens" ADD CONSTRAINT "scim_tokens_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scim_users" ADD CONSTRAINT "scim_users_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scim_users" ADD CONSTRAINT "scim_users_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stack_access" ADD CONSTRAINT "stack_access_org_id_account_id_memberships_org_id_account_id_fk" FOREIGN KEY ("org_id","account_id") REFERENCES "public"."memberships"("org_id","account_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stack_access" ADD CONSTRAINT "stack_access_org_id_stack_id_stacks_org_id_id_fk" FOREIGN KEY ("org_id","stack_id") REFERENCES "public"."stacks"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stack_access" ADD CONSTRAINT "stack_access_stack_id_stack_role_id_stack_roles_stack_id_id_fk" FOREIGN KEY ("stack_id","stack_role_id") REFERENCES "public"."stack_roles"("stack_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stack_roles" ADD CONSTRAINT "stack_roles_stack_id_stacks_id_fk" FOREIGN KEY ("stack_id") REFERENCES "public"."stacks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stacks" ADD CONSTRAINT "stacks_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_email_lower_uq" ON "accounts" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "group_mapping_stack_roles_stack_idx" ON "group_mapping_stack_roles" USING btree ("stack_id");--> statement-breakpoint
CREATE INDEX "group_mappings_org_idx" ON "group_mappings" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "memberships_account_idx" ON "memberships" USING btree ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "memberships_one_owner_uq" ON "memberships" USING btree ("org_id") WHERE "memberships"."role" = 'owner';--> statement-breakpoint
CREATE INDEX "memberships_org_role_idx" ON "memberships" USING btree ("org_id","role");--> statement-breakpoint
CREATE INDEX "oauth_codes_expires_idx" ON "oauth_codes" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "oauth_grants_org_idx" ON "oauth_grants" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "oauth_tokens_grant_idx" ON "oauth_tokens" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "provisioning_events_org_id_idx" ON "provisioning_events" USING btree ("org_id","id");--> statement-breakpoint
CREATE INDEX "provisioning_events_org_resource_idx" ON "provisioning_events" USING btree ("org_id","resource_id");--> statement-breakpoint
CREATE INDEX "provisioning_events_org_errors_idx" ON "provisioning_events" USING btree ("org_id","id") WHERE "provisioning_events"."status" >= 400;--> statement-breakpoint
CREATE UNIQUE INDEX "scim_group_members_user_group_uq" ON "scim_group_members" USING btree ("user_id","group_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scim_groups_org_display_name_uq" ON "scim_groups" USING btree ("org_id",lower("display_name"));--> statement-breakpoint
CREATE UNIQUE INDEX "scim_groups_org_seq_uq" ON "scim_groups" USING btree ("org_id","seq");--> statement-breakpoint
CREATE INDEX "scim_groups_org_external_id_idx" ON "scim_groups" USING btree ("org_id","external_id");--> statement-breakpoint
CREATE INDEX "scim_groups_org_updated_idx" ON "scim_groups" USING btree ("org_id","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "scim_tokens_hash_uq" ON "scim_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "scim_tokens_org_idx" ON "scim_tokens" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "scim_users_org_username_uq" ON "scim_users" USING btree ("org_id",lower("user_name"));--> statement-breakpoint
CREATE UNIQUE INDEX "scim_users_org_account_uq" ON "scim_users" USING btree ("org_id","account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scim_users_org_seq_uq" ON "scim_users" USING btree ("org_id","seq");--> statement-breakpoint
CREATE INDEX "scim_users_org_external_id_idx" ON "scim_users" USING btree ("org_id","external_id");--> statement-breakpoint
CREATE INDEX "scim_users_org_email_idx" ON "scim_users" USING btree ("org_id",lower("primary_email"));--> statement-breakpoint
CREATE INDEX "scim_users_email_values_gin" ON "scim_users" USING gin ("email_values");--> statement-breakpoint
CREATE INDEX "scim_users_org_display_name_idx" ON "scim_users" USING btree ("org_id",lower("display_name"));--> statement-breakpoint
CREATE INDEX "scim_users_org_family_name_idx" ON "scim_users" USING btree ("org_id",lower("family_name"));--> statement-breakpoint
CREATE INDEX "scim_users_org_updated_idx" ON "scim_users" USING btree ("org_id","updated_at");--> statement-breakpoint
CREATE INDEX "scim_users_org_created_idx" ON "scim_users" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "scim_users_org_inactive_idx" ON "scim_users" USING btree ("org_id") WHERE not "scim_users"."active";--> statement-breakpoint
CREATE INDEX "stack_access_org_account_idx" ON "stack_access" USING btree ("org_id","account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "stack_roles_stack_name_uq" ON "stack_roles" USING btree ("stack_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "stacks_org_name_uq" ON "stacks" USING btree ("org_id",lower("name"));