-- Sales recorded before sale_days existed: their days, counted in Lagos time (UTC+1).
INSERT INTO "sale_days" ("business_id", "day", "sales", "total_kobo")
SELECT "business_id", (("created_at" + 3600000) / 86400000)::integer, count(*), sum("total_kobo")::bigint
  FROM "sale_facts"
 GROUP BY 1, 2;
