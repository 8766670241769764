CREATE TABLE "scim_resource_counts" (
	"org_id" text NOT NULL,
	"resource" text NOT NULL,
	"shard" integer NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "scim_resource_counts_org_id_resource_shard_pk" PRIMARY KEY("org_id","resource","shard")
);
--> statement-breakpoint
ALTER TABLE "scim_resource_counts" ADD CONSTRAINT "scim_resource_counts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
INSERT INTO "scim_resource_counts" ("org_id", "resource", "shard", "n") SELECT "org_id", 'User', 0, count(*) FROM "scim_users" GROUP BY "org_id";--> statement-breakpoint
INSERT INTO "scim_resource_counts" ("org_id", "resource", "shard", "n") SELECT "org_id", 'Group', 0, count(*) FROM "scim_groups" GROUP BY "org_id";
