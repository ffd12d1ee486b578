CREATE TABLE "applied_mutations" (
	"business_id" uuid NOT NULL,
	"mutation_id" uuid NOT NULL,
	"device_id" uuid NOT NULL,
	"seq" bigint,
	"status" text NOT NULL,
	"at" bigint NOT NULL,
	CONSTRAINT "applied_mutations_business_id_mutation_id_pk" PRIMARY KEY("business_id","mutation_id")
);
--> statement-breakpoint
CREATE TABLE "branches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "businesses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"change_seq" bigint DEFAULT 0 NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "changes" (
	"business_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text NOT NULL,
	"op" text NOT NULL,
	"origin_device_id" uuid NOT NULL,
	"data" jsonb NOT NULL,
	"at" bigint NOT NULL,
	CONSTRAINT "changes_business_id_seq_pk" PRIMARY KEY("business_id","seq")
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" bigint NOT NULL,
	"last_seen_at" bigint,
	"revoked_at" bigint,
	CONSTRAINT "devices_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "pairing_codes" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"created_by_device_id" uuid NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint,
	"used_by_device_id" uuid
);
--> statement-breakpoint
CREATE TABLE "records" (
	"business_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text NOT NULL,
	"data" jsonb NOT NULL,
	"seq" bigint NOT NULL,
	CONSTRAINT "records_business_id_entity_entity_id_pk" PRIMARY KEY("business_id","entity","entity_id")
);
--> statement-breakpoint
CREATE TABLE "sale_facts" (
	"business_id" uuid NOT NULL,
	"sale_id" text NOT NULL,
	"branch_id" uuid NOT NULL,
	"device_id" text NOT NULL,
	"created_at" bigint NOT NULL,
	"total_kobo" bigint NOT NULL,
	CONSTRAINT "sale_facts_business_id_sale_id_pk" PRIMARY KEY("business_id","sale_id")
);
--> statement-breakpoint
ALTER TABLE "branches" ADD CONSTRAINT "branches_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_codes" ADD CONSTRAINT "pairing_codes_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_codes" ADD CONSTRAINT "pairing_codes_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_codes" ADD CONSTRAINT "pairing_codes_created_by_device_id_devices_id_fk" FOREIGN KEY ("created_by_device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_codes" ADD CONSTRAINT "pairing_codes_used_by_device_id_devices_id_fk" FOREIGN KEY ("used_by_device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "branches_business" ON "branches" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "devices_business" ON "devices" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "pairing_codes_business" ON "pairing_codes" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "records_customer_phone" ON "records" USING btree ("business_id",("data" -> 'fields' -> 'phone' ->> 'value')) WHERE "records"."entity" = 'customer';--> statement-breakpoint
CREATE INDEX "sale_facts_business_created" ON "sale_facts" USING btree ("business_id","created_at");