CREATE TABLE "store_blobs" (
	"business_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"body" "bytea" NOT NULL,
	"gzip" "bytea",
	"size" integer NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "store_blobs_business_id_sha256_pk" PRIMARY KEY("business_id","sha256")
);
--> statement-breakpoint
CREATE TABLE "store_payment_keys" (
	"business_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"secret_key" text NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "store_payment_keys_business_id_provider_pk" PRIMARY KEY("business_id","provider")
);
--> statement-breakpoint
CREATE TABLE "storefronts" (
	"business_id" uuid PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"custom_domain" text,
	"config" jsonb NOT NULL,
	"manifest" jsonb NOT NULL,
	"publish_cursor" bigint NOT NULL,
	"next_order_number" integer DEFAULT 1001 NOT NULL,
	"published_at" bigint NOT NULL,
	"unpublished_at" bigint,
	CONSTRAINT "storefronts_slug_unique" UNIQUE("slug"),
	CONSTRAINT "storefronts_custom_domain_unique" UNIQUE("custom_domain")
);
--> statement-breakpoint
ALTER TABLE "store_blobs" ADD CONSTRAINT "store_blobs_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_payment_keys" ADD CONSTRAINT "store_payment_keys_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "storefronts" ADD CONSTRAINT "storefronts_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;