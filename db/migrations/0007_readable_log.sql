CREATE TABLE "provisioning_activity" (
	"org_id" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"requests" integer NOT NULL,
	"errors" integer NOT NULL,
	CONSTRAINT "provisioning_activity_org_id_hour_pk" PRIMARY KEY("org_id","hour")
);
--> statement-breakpoint
CREATE TABLE "provisioning_event_people" (
	"org_id" text NOT NULL,
	"user_id" uuid NOT NULL,
	"event_id" bigint NOT NULL,
	CONSTRAINT "provisioning_event_people_org_id_user_id_event_id_pk" PRIMARY KEY("org_id","user_id","event_id")
);
--> statement-breakpoint
ALTER TABLE "provisioning_events" ADD COLUMN "request_body" json;--> statement-breakpoint
ALTER TABLE "provisioning_events" ADD COLUMN "response_body" json;--> statement-breakpoint
ALTER TABLE "provisioning_events" ADD COLUMN "summary" text;--> statement-breakpoint
ALTER TABLE "provisioning_events" ADD COLUMN "credential_name" text;--> statement-breakpoint
ALTER TABLE "provisioning_activity" ADD CONSTRAINT "provisioning_activity_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_event_people" ADD CONSTRAINT "provisioning_event_people_event_id_provisioning_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."provisioning_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "provisioning_event_people_event_idx" ON "provisioning_event_people" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "provisioning_events_org_at_idx" ON "provisioning_events" USING btree ("org_id","at");