CREATE TABLE `ledger_corrections` (
	`id` text PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_conflicts` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`entity_id` text NOT NULL,
	`mine` text,
	`theirs` text NOT NULL,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	`resolution` text,
	`resolved_by_staff_id` text
);
--> statement-breakpoint
CREATE INDEX `sync_conflicts_open` ON `sync_conflicts` (`resolved_at`,`created_at`);--> statement-breakpoint
CREATE INDEX `sync_conflicts_entity` ON `sync_conflicts` (`kind`,`entity_id`);--> statement-breakpoint
CREATE TABLE `sync_problems` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`message` text NOT NULL,
	`entity` text,
	`entity_id` text
);
--> statement-breakpoint
CREATE INDEX `sync_problems_at` ON `sync_problems` (`at`);--> statement-breakpoint
CREATE TABLE `sync_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
DROP INDEX `customers_phone_unmerged`;--> statement-breakpoint
ALTER TABLE `customers` ADD `notes_log` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `customers` ADD `sync_clock` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
CREATE INDEX `customers_phone_unmerged` ON `customers` (`phone`) WHERE "customers"."merged_into_id" IS NULL;--> statement-breakpoint
DROP INDEX `products_sku`;--> statement-breakpoint
DROP INDEX `products_barcode`;--> statement-breakpoint
ALTER TABLE `products` ADD `sync_clock` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
CREATE INDEX `products_sku` ON `products` (`sku`);--> statement-breakpoint
CREATE INDEX `products_barcode` ON `products` (`barcode`);--> statement-breakpoint
ALTER TABLE `business_profile` ADD `sync_clock` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `outbox` ADD `status` text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE `outbox` ADD `result` text;--> statement-breakpoint
CREATE INDEX `outbox_status` ON `outbox` (`status`,`seq`);--> statement-breakpoint
ALTER TABLE `settings` ADD `sync_clock` text;--> statement-breakpoint
ALTER TABLE `staff` ADD `sync_clock` text DEFAULT '{}' NOT NULL;