ALTER TABLE `customer_stats` ADD `listed` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX `customer_stats_listed_spent` ON `customer_stats` (`listed`,`total_spent_kobo`);--> statement-breakpoint
CREATE INDEX `customer_stats_listed_last_purchase` ON `customer_stats` (`listed`,`last_purchase_at`);--> statement-breakpoint
CREATE INDEX `customer_stats_listed_points` ON `customer_stats` (`listed`,`points_balance`);--> statement-breakpoint
CREATE INDEX `customers_listed_name` ON `customers` (`search_name`) WHERE "customers"."merged_into_id" IS NULL AND "customers"."archived_at" IS NULL;--> statement-breakpoint
INSERT OR IGNORE INTO `customer_stats` (`customer_id`) SELECT `id` FROM `customers`;--> statement-breakpoint
UPDATE `customer_stats` SET `listed` = -1 WHERE `customer_id` IN (SELECT `id` FROM `customers` WHERE `merged_into_id` IS NOT NULL);--> statement-breakpoint
UPDATE `customer_stats` SET `listed` = 0 WHERE `customer_id` IN (SELECT `id` FROM `customers` WHERE `merged_into_id` IS NULL AND `archived_at` IS NOT NULL);
