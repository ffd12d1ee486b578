CREATE TABLE `customer_consents` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`channel` text NOT NULL,
	`granted` integer NOT NULL,
	`source` text NOT NULL,
	`wording` text DEFAULT '' NOT NULL,
	`staff_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `customer_consents_customer` ON `customer_consents` (`customer_id`,`channel`,`created_at`);--> statement-breakpoint
CREATE TABLE `customer_payment_methods` (
	`customer_id` text NOT NULL,
	`method` text NOT NULL,
	`first_used_at` integer NOT NULL,
	PRIMARY KEY(`customer_id`, `method`),
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `customer_phone_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`old_phone` text NOT NULL,
	`new_phone` text NOT NULL,
	`staff_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `customer_phone_changes_customer` ON `customer_phone_changes` (`customer_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `customer_stats` (
	`customer_id` text PRIMARY KEY NOT NULL,
	`total_spent_kobo` integer DEFAULT 0 NOT NULL,
	`purchase_count` integer DEFAULT 0 NOT NULL,
	`last_purchase_at` integer,
	`points_balance` integer DEFAULT 0 NOT NULL,
	`tier` text DEFAULT 'bronze' NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `customer_stats_spent` ON `customer_stats` (`total_spent_kobo`);--> statement-breakpoint
CREATE INDEX `customer_stats_last_purchase` ON `customer_stats` (`last_purchase_at`);--> statement-breakpoint
CREATE INDEX `customer_stats_points` ON `customer_stats` (`points_balance`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`first_name` text DEFAULT '' NOT NULL,
	`last_name` text DEFAULT '' NOT NULL,
	`display_name` text NOT NULL,
	`search_name` text NOT NULL,
	`phone` text NOT NULL,
	`phone_national` text NOT NULL,
	`carrier` text,
	`whatsapp` text,
	`email` text DEFAULT '' NOT NULL,
	`address` text DEFAULT '' NOT NULL,
	`state` text,
	`lga_city` text DEFAULT '' NOT NULL,
	`kind` text DEFAULT 'individual' NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`preferences` text DEFAULT '{}' NOT NULL,
	`birthday` text,
	`archived_at` integer,
	`merged_into_id` text,
	`created_by_staff_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "customers_kind_known" CHECK("customers"."kind" in ('individual', 'business'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customers_phone_unmerged` ON `customers` (`phone`) WHERE "customers"."merged_into_id" IS NULL;--> statement-breakpoint
CREATE INDEX `customers_search_name` ON `customers` (`search_name`);--> statement-breakpoint
CREATE INDEX `customers_phone_national` ON `customers` (`phone_national`);--> statement-breakpoint
CREATE INDEX `customers_birthday` ON `customers` (`birthday`);--> statement-breakpoint
CREATE TABLE `loyalty_events` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`kind` text NOT NULL,
	`from_tier` text NOT NULL,
	`to_tier` text NOT NULL,
	`sale_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `loyalty_events_created_at` ON `loyalty_events` (`created_at`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`mutation_id` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`op` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`pushed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_mutation_id_unique` ON `outbox` (`mutation_id`);--> statement-breakpoint
CREATE INDEX `outbox_unpushed` ON `outbox` (`pushed_at`,`seq`);--> statement-breakpoint
CREATE TABLE `points_ledger` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`delta` integer NOT NULL,
	`kind` text NOT NULL,
	`sale_id` text,
	`refund_id` text,
	`note` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `points_ledger_customer` ON `points_ledger` (`customer_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `product_stock` (
	`product_id` text PRIMARY KEY NOT NULL,
	`quantity` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`search_name` text NOT NULL,
	`sku` text,
	`barcode` text,
	`price_kobo` integer NOT NULL,
	`cost_kobo` integer DEFAULT 0 NOT NULL,
	`category` text DEFAULT '' NOT NULL,
	`low_stock_threshold` integer DEFAULT 0 NOT NULL,
	`image` text,
	`archived_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "products_price_not_negative" CHECK("products"."price_kobo" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_sku` ON `products` (`sku`);--> statement-breakpoint
CREATE UNIQUE INDEX `products_barcode` ON `products` (`barcode`);--> statement-breakpoint
CREATE INDEX `products_search_name` ON `products` (`search_name`);--> statement-breakpoint
CREATE INDEX `products_category` ON `products` (`category`);--> statement-breakpoint
CREATE TABLE `refund_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`refund_id` text NOT NULL,
	`sale_line_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`amount_kobo` integer NOT NULL,
	FOREIGN KEY (`refund_id`) REFERENCES `refunds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sale_line_id`) REFERENCES `sale_lines`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `refund_lines_refund` ON `refund_lines` (`refund_id`);--> statement-breakpoint
CREATE INDEX `refund_lines_sale_line` ON `refund_lines` (`sale_line_id`);--> statement-breakpoint
CREATE TABLE `refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`sale_id` text NOT NULL,
	`kind` text NOT NULL,
	`amount_kobo` integer NOT NULL,
	`method` text NOT NULL,
	`reason` text NOT NULL,
	`staff_id` text NOT NULL,
	`approved_by_staff_id` text NOT NULL,
	`points_reversed` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`sale_id`) REFERENCES `sales`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`approved_by_staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `refunds_sale` ON `refunds` (`sale_id`);--> statement-breakpoint
CREATE INDEX `refunds_created_at` ON `refunds` (`created_at`);--> statement-breakpoint
CREATE TABLE `risk_reviews` (
	`sale_id` text PRIMARY KEY NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`reviewed_by_staff_id` text,
	`reviewed_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`sale_id`) REFERENCES `sales`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `risk_reviews_status` ON `risk_reviews` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `sale_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`sale_id` text NOT NULL,
	`line_no` integer NOT NULL,
	`product_id` text,
	`name` text NOT NULL,
	`unit_price_kobo` integer NOT NULL,
	`quantity` integer NOT NULL,
	`discount_kobo` integer DEFAULT 0 NOT NULL,
	`total_kobo` integer NOT NULL,
	FOREIGN KEY (`sale_id`) REFERENCES `sales`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sale_lines_quantity_positive" CHECK("sale_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sale_lines_sale` ON `sale_lines` (`sale_id`,`line_no`);--> statement-breakpoint
CREATE INDEX `sale_lines_product` ON `sale_lines` (`product_id`);--> statement-breakpoint
CREATE TABLE `sale_payments` (
	`id` text PRIMARY KEY NOT NULL,
	`sale_id` text NOT NULL,
	`method` text NOT NULL,
	`amount_kobo` integer NOT NULL,
	`tendered_kobo` integer,
	`change_kobo` integer DEFAULT 0 NOT NULL,
	`reference` text DEFAULT '' NOT NULL,
	`points_used` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`sale_id`) REFERENCES `sales`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sale_payments_amount_positive" CHECK("sale_payments"."amount_kobo" > 0)
);
--> statement-breakpoint
CREATE INDEX `sale_payments_sale` ON `sale_payments` (`sale_id`);--> statement-breakpoint
CREATE INDEX `sale_payments_method` ON `sale_payments` (`method`,`created_at`);--> statement-breakpoint
CREATE TABLE `sales` (
	`id` text PRIMARY KEY NOT NULL,
	`receipt_number` text NOT NULL,
	`device_id` text NOT NULL,
	`customer_id` text,
	`staff_id` text NOT NULL,
	`subtotal_kobo` integer NOT NULL,
	`discount_kobo` integer DEFAULT 0 NOT NULL,
	`total_kobo` integer NOT NULL,
	`points_earned` integer DEFAULT 0 NOT NULL,
	`risk_score` integer DEFAULT 0 NOT NULL,
	`risk_reasons` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sales_total_not_negative" CHECK("sales"."total_kobo" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sales_receipt_number_unique` ON `sales` (`receipt_number`);--> statement-breakpoint
CREATE INDEX `sales_created_at` ON `sales` (`created_at`);--> statement-breakpoint
CREATE INDEX `sales_customer` ON `sales` (`customer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `sales_staff` ON `sales` (`staff_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `stock_moves` (
	`id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`kind` text NOT NULL,
	`quantity` integer NOT NULL,
	`sale_id` text,
	`refund_id` text,
	`staff_id` text,
	`note` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `stock_moves_product` ON `stock_moves` (`product_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `z_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`from_at` integer NOT NULL,
	`to_at` integer NOT NULL,
	`expected_cash_kobo` integer NOT NULL,
	`counted_cash_kobo` integer NOT NULL,
	`totals` text NOT NULL,
	`staff_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `z_reports_to_at` ON `z_reports` (`to_at`);