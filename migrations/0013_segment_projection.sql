CREATE TABLE `segment_book` (
	`pos` integer PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`state` text,
	`lga_city` text,
	`carrier` text,
	`tags` text,
	`birthday` text,
	`created_at` integer NOT NULL,
	`tier` text NOT NULL,
	`total_spent_kobo` integer NOT NULL,
	`purchase_count` integer NOT NULL,
	`last_purchase_at` integer,
	`points_balance` integer NOT NULL,
	`first_name` text NOT NULL,
	`last_name` text NOT NULL,
	`display_name` text,
	`phone` text NOT NULL,
	`whatsapp` text,
	`email` text
);
--> statement-breakpoint
CREATE TABLE `segment_state_codes` (
	`code` integer PRIMARY KEY NOT NULL,
	`state` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `segment_state_codes_state_unique` ON `segment_state_codes` (`state`);
--> statement-breakpoint
INSERT INTO `segment_state_codes` (`code`, `state`) VALUES
	(1, 'Abia'),
	(2, 'Adamawa'),
	(3, 'Akwa Ibom'),
	(4, 'Anambra'),
	(5, 'Bauchi'),
	(6, 'Bayelsa'),
	(7, 'Benue'),
	(8, 'Borno'),
	(9, 'Cross River'),
	(10, 'Delta'),
	(11, 'Ebonyi'),
	(12, 'Edo'),
	(13, 'Ekiti'),
	(14, 'Enugu'),
	(15, 'FCT'),
	(16, 'Gombe'),
	(17, 'Imo'),
	(18, 'Jigawa'),
	(19, 'Kaduna'),
	(20, 'Kano'),
	(21, 'Katsina'),
	(22, 'Kebbi'),
	(23, 'Kogi'),
	(24, 'Kwara'),
	(25, 'Lagos'),
	(26, 'Nasarawa'),
	(27, 'Niger'),
	(28, 'Ogun'),
	(29, 'Ondo'),
	(30, 'Osun'),
	(31, 'Oyo'),
	(32, 'Plateau'),
	(33, 'Rivers'),
	(34, 'Sokoto'),
	(35, 'Taraba'),
	(36, 'Yobe'),
	(37, 'Zamfara');
--> statement-breakpoint
-- The book as the customers stand now, each bucket numbered in customer order.
INSERT INTO `segment_book` (`pos`, `customer_id`, `state`, `lga_city`, `carrier`, `tags`, `birthday`, `created_at`, `tier`, `total_spent_kobo`, `purchase_count`, `last_purchase_at`, `points_balance`, `first_name`, `last_name`, `display_name`, `phone`, `whatsapp`, `email`)
SELECT v.`bucket` | row_number() OVER (PARTITION BY v.`bucket` ORDER BY v.`customer_id`), v.`customer_id`, v.`state`, v.`lga_city`, v.`carrier`, v.`tags`, v.`birthday`, v.`created_at`, v.`tier`, v.`total_spent_kobo`, v.`purchase_count`, v.`last_purchase_at`, v.`points_balance`, v.`first_name`, v.`last_name`, v.`display_name`, v.`phone`, v.`whatsapp`, v.`email`
FROM (SELECT
		(((s.`consent_sms` = 1) | ((s.`consent_whatsapp` = 1) << 1) | ((s.`consent_email` = 1) << 2) | ((c.`email` <> '') << 3)) << 46)
			| (coalesce((SELECT k.`code` FROM `segment_state_codes` k WHERE k.`state` = c.`state`), CASE WHEN c.`state` IS NULL THEN 0 ELSE 63 END) << 40) AS `bucket`,
		c.`id` AS `customer_id`, c.`state`, nullif(c.`lga_city`, '') AS `lga_city`, c.`carrier`, nullif(c.`tags`, '[]') AS `tags`, c.`birthday`, c.`created_at`,
		s.`tier`, s.`total_spent_kobo`, s.`purchase_count`, s.`last_purchase_at`, s.`points_balance`, c.`first_name`, c.`last_name`,
		nullif(c.`display_name`, trim(c.`first_name` || ' ' || c.`last_name`)) AS `display_name`, c.`phone`,
		nullif(coalesce(nullif(c.`whatsapp`, ''), c.`phone`), c.`phone`) AS `whatsapp`, nullif(c.`email`, '') AS `email`
	FROM `customers` c JOIN `customer_stats` s ON s.`customer_id` = c.`id`
	WHERE s.`listed` = 1) AS v;
--> statement-breakpoint
CREATE UNIQUE INDEX `segment_book_customer` ON `segment_book` (`customer_id`);
--> statement-breakpoint
CREATE INDEX `segment_book_spend` ON `segment_book` (`total_spent_kobo`);
--> statement-breakpoint
CREATE INDEX `segment_book_rules` ON `segment_book` (`state`,`last_purchase_at`,`total_spent_kobo`,`created_at`,`purchase_count`,`points_balance`,`tier`,`carrier`,`birthday`,`tags`,`lga_city`);
--> statement-breakpoint
-- A customer enters the book with its stats row (made with the customer, or when listed again),
-- moves within it when its reach or state changes, and leaves it when archived, merged or deleted.
CREATE TRIGGER `segment_book_stats_added` AFTER INSERT ON `customer_stats` WHEN NEW.`listed` = 1
BEGIN
	INSERT INTO `segment_book` (`pos`, `customer_id`, `state`, `lga_city`, `carrier`, `tags`, `birthday`, `created_at`, `tier`, `total_spent_kobo`, `purchase_count`, `last_purchase_at`, `points_balance`, `first_name`, `last_name`, `display_name`, `phone`, `whatsapp`, `email`)
	SELECT v.`bucket` | (coalesce((SELECT b.`pos` - v.`bucket` FROM `segment_book` b
			WHERE b.`pos` >= v.`bucket` AND b.`pos` < v.`bucket` + 1099511627776 ORDER BY b.`pos` DESC LIMIT 1), 0) + 1),
		v.`customer_id`, v.`state`, v.`lga_city`, v.`carrier`, v.`tags`, v.`birthday`, v.`created_at`, v.`tier`, v.`total_spent_kobo`, v.`purchase_count`, v.`last_purchase_at`, v.`points_balance`, v.`first_name`, v.`last_name`, v.`display_name`, v.`phone`, v.`whatsapp`, v.`email`
	FROM (SELECT
			(((s.`consent_sms` = 1) | ((s.`consent_whatsapp` = 1) << 1) | ((s.`consent_email` = 1) << 2) | ((c.`email` <> '') << 3)) << 46)
				| (coalesce((SELECT k.`code` FROM `segment_state_codes` k WHERE k.`state` = c.`state`), CASE WHEN c.`state` IS NULL THEN 0 ELSE 63 END) << 40) AS `bucket`,
			c.`id` AS `customer_id`, c.`state`, nullif(c.`lga_city`, '') AS `lga_city`, c.`carrier`, nullif(c.`tags`, '[]') AS `tags`, c.`birthday`, c.`created_at`,
			s.`tier`, s.`total_spent_kobo`, s.`purchase_count`, s.`last_purchase_at`, s.`points_balance`, c.`first_name`, c.`last_name`,
			nullif(c.`display_name`, trim(c.`first_name` || ' ' || c.`last_name`)) AS `display_name`, c.`phone`,
			nullif(coalesce(nullif(c.`whatsapp`, ''), c.`phone`), c.`phone`) AS `whatsapp`, nullif(c.`email`, '') AS `email`
		FROM `customers` c JOIN `customer_stats` s ON s.`customer_id` = c.`id`
		WHERE c.`id` = NEW.`customer_id` AND s.`listed` = 1) AS v
	WHERE true
	ON CONFLICT (`customer_id`) DO UPDATE SET
		`pos` = CASE WHEN (`pos` >> 40) = (excluded.`pos` >> 40) THEN `pos` ELSE excluded.`pos` END,
		`state` = excluded.`state`, `lga_city` = excluded.`lga_city`, `carrier` = excluded.`carrier`, `tags` = excluded.`tags`, `birthday` = excluded.`birthday`, `created_at` = excluded.`created_at`, `tier` = excluded.`tier`, `total_spent_kobo` = excluded.`total_spent_kobo`, `purchase_count` = excluded.`purchase_count`, `last_purchase_at` = excluded.`last_purchase_at`, `points_balance` = excluded.`points_balance`, `first_name` = excluded.`first_name`, `last_name` = excluded.`last_name`, `display_name` = excluded.`display_name`, `phone` = excluded.`phone`, `whatsapp` = excluded.`whatsapp`, `email` = excluded.`email`;
END;
--> statement-breakpoint
CREATE TRIGGER `segment_book_stats_changed` AFTER UPDATE ON `customer_stats` WHEN NEW.`listed` = 1
BEGIN
	INSERT INTO `segment_book` (`pos`, `customer_id`, `state`, `lga_city`, `carrier`, `tags`, `birthday`, `created_at`, `tier`, `total_spent_kobo`, `purchase_count`, `last_purchase_at`, `points_balance`, `first_name`, `last_name`, `display_name`, `phone`, `whatsapp`, `email`)
	SELECT v.`bucket` | (coalesce((SELECT b.`pos` - v.`bucket` FROM `segment_book` b
			WHERE b.`pos` >= v.`bucket` AND b.`pos` < v.`bucket` + 1099511627776 ORDER BY b.`pos` DESC LIMIT 1), 0) + 1),
		v.`customer_id`, v.`state`, v.`lga_city`, v.`carrier`, v.`tags`, v.`birthday`, v.`created_at`, v.`tier`, v.`total_spent_kobo`, v.`purchase_count`, v.`last_purchase_at`, v.`points_balance`, v.`first_name`, v.`last_name`, v.`display_name`, v.`phone`, v.`whatsapp`, v.`email`
	FROM (SELECT
			(((s.`consent_sms` = 1) | ((s.`consent_whatsapp` = 1) << 1) | ((s.`consent_email` = 1) << 2) | ((c.`email` <> '') << 3)) << 46)
				| (coalesce((SELECT k.`code` FROM `segment_state_codes` k WHERE k.`state` = c.`state`), CASE WHEN c.`state` IS NULL THEN 0 ELSE 63 END) << 40) AS `bucket`,
			c.`id` AS `customer_id`, c.`state`, nullif(c.`lga_city`, '') AS `lga_city`, c.`carrier`, nullif(c.`tags`, '[]') AS `tags`, c.`birthday`, c.`created_at`,
			s.`tier`, s.`total_spent_kobo`, s.`purchase_count`, s.`last_purchase_at`, s.`points_balance`, c.`first_name`, c.`last_name`,
			nullif(c.`display_name`, trim(c.`first_name` || ' ' || c.`last_name`)) AS `display_name`, c.`phone`,
			nullif(coalesce(nullif(c.`whatsapp`, ''), c.`phone`), c.`phone`) AS `whatsapp`, nullif(c.`email`, '') AS `email`
		FROM `customers` c JOIN `customer_stats` s ON s.`customer_id` = c.`id`
		WHERE c.`id` = NEW.`customer_id` AND s.`listed` = 1) AS v
	WHERE true
	ON CONFLICT (`customer_id`) DO UPDATE SET
		`pos` = CASE WHEN (`pos` >> 40) = (excluded.`pos` >> 40) THEN `pos` ELSE excluded.`pos` END,
		`state` = excluded.`state`, `lga_city` = excluded.`lga_city`, `carrier` = excluded.`carrier`, `tags` = excluded.`tags`, `birthday` = excluded.`birthday`, `created_at` = excluded.`created_at`, `tier` = excluded.`tier`, `total_spent_kobo` = excluded.`total_spent_kobo`, `purchase_count` = excluded.`purchase_count`, `last_purchase_at` = excluded.`last_purchase_at`, `points_balance` = excluded.`points_balance`, `first_name` = excluded.`first_name`, `last_name` = excluded.`last_name`, `display_name` = excluded.`display_name`, `phone` = excluded.`phone`, `whatsapp` = excluded.`whatsapp`, `email` = excluded.`email`;
END;
--> statement-breakpoint
CREATE TRIGGER `segment_book_stats_unlisted` AFTER UPDATE ON `customer_stats` WHEN NEW.`listed` IS NOT 1
BEGIN
	DELETE FROM `segment_book` WHERE `customer_id` = NEW.`customer_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `segment_book_stats_removed` AFTER DELETE ON `customer_stats`
BEGIN
	DELETE FROM `segment_book` WHERE `customer_id` = OLD.`customer_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `segment_book_customer_added` AFTER INSERT ON `customers`
BEGIN
	INSERT INTO `segment_book` (`pos`, `customer_id`, `state`, `lga_city`, `carrier`, `tags`, `birthday`, `created_at`, `tier`, `total_spent_kobo`, `purchase_count`, `last_purchase_at`, `points_balance`, `first_name`, `last_name`, `display_name`, `phone`, `whatsapp`, `email`)
	SELECT v.`bucket` | (coalesce((SELECT b.`pos` - v.`bucket` FROM `segment_book` b
			WHERE b.`pos` >= v.`bucket` AND b.`pos` < v.`bucket` + 1099511627776 ORDER BY b.`pos` DESC LIMIT 1), 0) + 1),
		v.`customer_id`, v.`state`, v.`lga_city`, v.`carrier`, v.`tags`, v.`birthday`, v.`created_at`, v.`tier`, v.`total_spent_kobo`, v.`purchase_count`, v.`last_purchase_at`, v.`points_balance`, v.`first_name`, v.`last_name`, v.`display_name`, v.`phone`, v.`whatsapp`, v.`email`
	FROM (SELECT
			(((s.`consent_sms` = 1) | ((s.`consent_whatsapp` = 1) << 1) | ((s.`consent_email` = 1) << 2) | ((c.`email` <> '') << 3)) << 46)
				| (coalesce((SELECT k.`code` FROM `segment_state_codes` k WHERE k.`state` = c.`state`), CASE WHEN c.`state` IS NULL THEN 0 ELSE 63 END) << 40) AS `bucket`,
			c.`id` AS `customer_id`, c.`state`, nullif(c.`lga_city`, '') AS `lga_city`, c.`carrier`, nullif(c.`tags`, '[]') AS `tags`, c.`birthday`, c.`created_at`,
			s.`tier`, s.`total_spent_kobo`, s.`purchase_count`, s.`last_purchase_at`, s.`points_balance`, c.`first_name`, c.`last_name`,
			nullif(c.`display_name`, trim(c.`first_name` || ' ' || c.`last_name`)) AS `display_name`, c.`phone`,
			nullif(coalesce(nullif(c.`whatsapp`, ''), c.`phone`), c.`phone`) AS `whatsapp`, nullif(c.`email`, '') AS `email`
		FROM `customers` c JOIN `customer_stats` s ON s.`customer_id` = c.`id`
		WHERE c.`id` = NEW.`id` AND s.`listed` = 1) AS v
	WHERE true
	ON CONFLICT (`customer_id`) DO UPDATE SET
		`pos` = CASE WHEN (`pos` >> 40) = (excluded.`pos` >> 40) THEN `pos` ELSE excluded.`pos` END,
		`state` = excluded.`state`, `lga_city` = excluded.`lga_city`, `carrier` = excluded.`carrier`, `tags` = excluded.`tags`, `birthday` = excluded.`birthday`, `created_at` = excluded.`created_at`, `tier` = excluded.`tier`, `total_spent_kobo` = excluded.`total_spent_kobo`, `purchase_count` = excluded.`purchase_count`, `last_purchase_at` = excluded.`last_purchase_at`, `points_balance` = excluded.`points_balance`, `first_name` = excluded.`first_name`, `last_name` = excluded.`last_name`, `display_name` = excluded.`display_name`, `phone` = excluded.`phone`, `whatsapp` = excluded.`whatsapp`, `email` = excluded.`email`;
END;
--> statement-breakpoint
CREATE TRIGGER `segment_book_customer_changed` AFTER UPDATE OF `first_name`, `last_name`, `display_name`, `phone`, `carrier`, `whatsapp`, `email`, `state`, `lga_city`, `tags`, `birthday`, `created_at` ON `customers`
BEGIN
	INSERT INTO `segment_book` (`pos`, `customer_id`, `state`, `lga_city`, `carrier`, `tags`, `birthday`, `created_at`, `tier`, `total_spent_kobo`, `purchase_count`, `last_purchase_at`, `points_balance`, `first_name`, `last_name`, `display_name`, `phone`, `whatsapp`, `email`)
	SELECT v.`bucket` | (coalesce((SELECT b.`pos` - v.`bucket` FROM `segment_book` b
			WHERE b.`pos` >= v.`bucket` AND b.`pos` < v.`bucket` + 1099511627776 ORDER BY b.`pos` DESC LIMIT 1), 0) + 1),
		v.`customer_id`, v.`state`, v.`lga_city`, v.`carrier`, v.`tags`, v.`birthday`, v.`created_at`, v.`tier`, v.`total_spent_kobo`, v.`purchase_count`, v.`last_purchase_at`, v.`points_balance`, v.`first_name`, v.`last_name`, v.`display_name`, v.`phone`, v.`whatsapp`, v.`email`
	FROM (SELECT
			(((s.`consent_sms` = 1) | ((s.`consent_whatsapp` = 1) << 1) | ((s.`consent_email` = 1) << 2) | ((c.`email` <> '') << 3)) << 46)
				| (coalesce((SELECT k.`code` FROM `segment_state_codes` k WHERE k.`state` = c.`state`), CASE WHEN c.`state` IS NULL THEN 0 ELSE 63 END) << 40) AS `bucket`,
			c.`id` AS `customer_id`, c.`state`, nullif(c.`lga_city`, '') AS `lga_city`, c.`carrier`, nullif(c.`tags`, '[]') AS `tags`, c.`birthday`, c.`created_at`,
			s.`tier`, s.`total_spent_kobo`, s.`purchase_count`, s.`last_purchase_at`, s.`points_balance`, c.`first_name`, c.`last_name`,
			nullif(c.`display_name`, trim(c.`first_name` || ' ' || c.`last_name`)) AS `display_name`, c.`phone`,
			nullif(coalesce(nullif(c.`whatsapp`, ''), c.`phone`), c.`phone`) AS `whatsapp`, nullif(c.`email`, '') AS `email`
		FROM `customers` c JOIN `customer_stats` s ON s.`customer_id` = c.`id`
		WHERE c.`id` = NEW.`id` AND s.`listed` = 1) AS v
	WHERE true
	ON CONFLICT (`customer_id`) DO UPDATE SET
		`pos` = CASE WHEN (`pos` >> 40) = (excluded.`pos` >> 40) THEN `pos` ELSE excluded.`pos` END,
		`state` = excluded.`state`, `lga_city` = excluded.`lga_city`, `carrier` = excluded.`carrier`, `tags` = excluded.`tags`, `birthday` = excluded.`birthday`, `created_at` = excluded.`created_at`, `tier` = excluded.`tier`, `total_spent_kobo` = excluded.`total_spent_kobo`, `purchase_count` = excluded.`purchase_count`, `last_purchase_at` = excluded.`last_purchase_at`, `points_balance` = excluded.`points_balance`, `first_name` = excluded.`first_name`, `last_name` = excluded.`last_name`, `display_name` = excluded.`display_name`, `phone` = excluded.`phone`, `whatsapp` = excluded.`whatsapp`, `email` = excluded.`email`;
END;
--> statement-breakpoint
CREATE TRIGGER `segment_book_customer_removed` AFTER DELETE ON `customers`
BEGIN
	DELETE FROM `segment_book` WHERE `customer_id` = OLD.`id`;
END;
