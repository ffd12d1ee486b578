CREATE TABLE "store_hook_secrets" (
	"business_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"secret" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "store_hook_secrets_business_id_provider_pk" PRIMARY KEY("business_id","provider")
);
--> statement-breakpoint
CREATE TABLE "store_payment_attempts" (
	"business_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"order_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"started_at" bigint NOT NULL,
	CONSTRAINT "store_payment_attempts_business_id_reference_pk" PRIMARY KEY("business_id","reference")
);
--> statement-breakpoint
ALTER TABLE "store_hook_secrets" ADD CONSTRAINT "store_hook_secrets_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_payment_attempts" ADD CONSTRAINT "store_payment_attempts_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "store_payment_attempts_order" ON "store_payment_attempts" USING btree ("business_id","order_id");