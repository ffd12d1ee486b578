CREATE TABLE `store_draft` (
	`id` integer PRIMARY KEY NOT NULL,
	`draft` text NOT NULL,
	`saved_at` integer NOT NULL,
	`test_order_at` integer
);
--> statement-breakpoint
CREATE TABLE `store_order_lines` (
	`order_id` text NOT NULL,
	`line_no` integer NOT NULL,
	`product_id` text NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`order_id`, `line_no`),
	FOREIGN KEY (`order_id`) REFERENCES `store_orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `store_order_lines_product` ON `store_order_lines` (`product_id`);--> statement-breakpoint
CREATE TABLE `store_order_updates` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`status` text NOT NULL,
	`sale_id` text,
	`reason` text DEFAULT '' NOT NULL,
	`staff_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `store_order_updates_order` ON `store_order_updates` (`order_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `store_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`number` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`test` integer DEFAULT false NOT NULL,
	`customer_id` text,
	`customer_name` text NOT NULL,
	`phone` text NOT NULL,
	`total_kobo` integer NOT NULL,
	`payment_method` text NOT NULL,
	`payment_status` text NOT NULL,
	`payment_reference` text,
	`data` text NOT NULL,
	`placed_at` integer NOT NULL,
	`sale_id` text,
	`reason` text DEFAULT '' NOT NULL,
	`updated_at` integer,
	`received_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `store_orders_status` ON `store_orders` (`status`,`placed_at`);--> statement-breakpoint
CREATE INDEX `store_orders_placed` ON `store_orders` (`placed_at`);--> statement-breakpoint
CREATE TABLE `store_payments` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`provider` text NOT NULL,
	`reference` text NOT NULL,
	`status` text NOT NULL,
	`amount_kobo` integer NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `store_payments_order` ON `store_payments` (`order_id`,`at`);--> statement-breakpoint
CREATE TABLE `store_publications` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`url` text NOT NULL,
	`custom_domain` text,
	`files` integer NOT NULL,
	`bytes` integer NOT NULL,
	`uploaded` integer NOT NULL,
	`published_at` integer NOT NULL,
	`staff_id` text
);
--> statement-breakpoint
-- What counters did with an order, and the verified payments, are facts: never changed or removed.
CREATE TRIGGER `store_order_updates_append_only` BEFORE UPDATE ON `store_order_updates`
BEGIN
	SELECT RAISE(ABORT, 'store_order_updates is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `store_order_updates_no_delete` BEFORE DELETE ON `store_order_updates`
BEGIN
	SELECT RAISE(ABORT, 'store_order_updates is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `store_payments_append_only` BEFORE UPDATE ON `store_payments`
BEGIN
	SELECT RAISE(ABORT, 'store_payments is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `store_orders_no_delete` BEFORE DELETE ON `store_orders`
BEGIN
	SELECT RAISE(ABORT, 'orders are kept');
END;
