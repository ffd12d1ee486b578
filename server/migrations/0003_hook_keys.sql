CREATE TABLE "hook_keys" (
	"business_id" uuid PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "hook_keys_key_unique" UNIQUE("key")
);
--> statement-breakpoint
ALTER TABLE "hook_keys" ADD CONSTRAINT "hook_keys_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;