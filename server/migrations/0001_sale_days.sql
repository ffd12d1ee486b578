CREATE TABLE "sale_days" (
	"business_id" uuid NOT NULL,
	"day" integer NOT NULL,
	"sales" bigint NOT NULL,
	"total_kobo" bigint NOT NULL,
	CONSTRAINT "sale_days_business_id_day_pk" PRIMARY KEY("business_id","day")
);
