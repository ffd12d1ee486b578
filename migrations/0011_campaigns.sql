CREATE TABLE `campaign_triggers` (
	`trigger` text PRIMARY KEY NOT NULL,
	`enabled` integer DEFAULT false NOT NULL,
	`template_id` text,
	`threshold` integer NOT NULL,
	`last_run_at` integer
);
--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`channel` text NOT NULL,
	`kind` text NOT NULL,
	`segment_id` text,
	`segment_name` text NOT NULL,
	`definition` text NOT NULL,
	`template_id` text NOT NULL,
	`template_b_id` text,
	`split_percent` integer DEFAULT 50 NOT NULL,
	`state` text NOT NULL,
	`trigger` text,
	`scheduled_at` integer,
	`enqueued_at` integer,
	`created_at` integer NOT NULL,
	`finished_at` integer,
	`created_by_staff_id` text
);
--> statement-breakpoint
CREATE INDEX `campaigns_created` ON `campaigns` (`created_at`);--> statement-breakpoint
CREATE INDEX `campaigns_state` ON `campaigns` (`state`,`scheduled_at`);--> statement-breakpoint
CREATE TABLE `message_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`source` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `message_events_message` ON `message_events` (`message_id`,`seq`);--> statement-breakpoint
CREATE TABLE `message_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`provider_message_id` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`at` integer NOT NULL,
	`applied_at` integer
);
--> statement-breakpoint
CREATE INDEX `message_reports_ref` ON `message_reports` (`provider`,`provider_message_id`);--> statement-breakpoint
CREATE TABLE `message_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`channel` text NOT NULL,
	`kind` text NOT NULL,
	`body` text NOT NULL,
	`subject` text DEFAULT '' NOT NULL,
	`whatsapp_template` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text,
	`customer_id` text,
	`channel` text NOT NULL,
	`kind` text NOT NULL,
	`variant` text DEFAULT 'A' NOT NULL,
	`recipient` text NOT NULL,
	`carrier` text,
	`subject` text DEFAULT '' NOT NULL,
	`body` text NOT NULL,
	`whatsapp_template` text,
	`pages` integer DEFAULT 1 NOT NULL,
	`cost_kobo` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`provider` text,
	`provider_message_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`not_before` integer NOT NULL,
	`sending_since` integer,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`delivered_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `messages_due` ON `messages` (`status`,`not_before`);--> statement-breakpoint
CREATE INDEX `messages_campaign` ON `messages` (`campaign_id`,`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `messages_campaign_customer` ON `messages` (`campaign_id`,`customer_id`) WHERE "messages"."campaign_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `messages_customer_sent` ON `messages` (`customer_id`,`kind`,`sent_at`);--> statement-breakpoint
CREATE INDEX `messages_provider_ref` ON `messages` (`provider`,`provider_message_id`);--> statement-breakpoint
CREATE TABLE `segments` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`definition` text NOT NULL,
	`ready` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `segments_ready` ON `segments` (`ready`);--> statement-breakpoint
CREATE TABLE `trigger_sends` (
	`trigger` text NOT NULL,
	`customer_id` text NOT NULL,
	`period` text NOT NULL,
	`message_id` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`trigger`, `customer_id`, `period`)
);
--> statement-breakpoint
ALTER TABLE `customer_stats` ADD `consent_sms` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `customer_stats` ADD `consent_whatsapp` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `customer_stats` ADD `consent_email` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Every customer gets a stats row (older versions made some lazily), so segments join on it.
INSERT OR IGNORE INTO `customer_stats` (`customer_id`, `listed`)
SELECT `id`, CASE WHEN `merged_into_id` IS NOT NULL THEN -1 WHEN `archived_at` IS NOT NULL THEN 0 ELSE 1 END
FROM `customers`;
--> statement-breakpoint
UPDATE `customer_stats` SET
	`consent_sms` = coalesce((SELECT `granted` FROM `customer_consents` c WHERE c.`customer_id` = `customer_stats`.`customer_id` AND c.`channel` = 'sms' ORDER BY c.`created_at` DESC, c.`id` DESC LIMIT 1), 0),
	`consent_whatsapp` = coalesce((SELECT `granted` FROM `customer_consents` c WHERE c.`customer_id` = `customer_stats`.`customer_id` AND c.`channel` = 'whatsapp' ORDER BY c.`created_at` DESC, c.`id` DESC LIMIT 1), 0),
	`consent_email` = coalesce((SELECT `granted` FROM `customer_consents` c WHERE c.`customer_id` = `customer_stats`.`customer_id` AND c.`channel` = 'email' ORDER BY c.`created_at` DESC, c.`id` DESC LIMIT 1), 0);
--> statement-breakpoint
-- The latest answer wins whatever order the ledger rows arrive in (sync can bring an older one late).
CREATE TRIGGER `customer_consents_current` AFTER INSERT ON `customer_consents`
BEGIN
	INSERT OR IGNORE INTO `customer_stats` (`customer_id`) VALUES (NEW.`customer_id`);
	UPDATE `customer_stats` SET
		`consent_sms` = CASE WHEN NEW.`channel` = 'sms' THEN `latest`.`granted` ELSE `consent_sms` END,
		`consent_whatsapp` = CASE WHEN NEW.`channel` = 'whatsapp' THEN `latest`.`granted` ELSE `consent_whatsapp` END,
		`consent_email` = CASE WHEN NEW.`channel` = 'email' THEN `latest`.`granted` ELSE `consent_email` END
	FROM (SELECT `granted` FROM `customer_consents` WHERE `customer_id` = NEW.`customer_id` AND `channel` = NEW.`channel`
		ORDER BY `created_at` DESC, `id` DESC LIMIT 1) AS `latest`
	WHERE `customer_stats`.`customer_id` = NEW.`customer_id`;
END;
--> statement-breakpoint
-- The message log is the record of what was sent: it is never deleted.
CREATE TRIGGER `messages_no_delete` BEFORE DELETE ON `messages`
BEGIN
	SELECT RAISE(ABORT, 'messages are kept');
END;
--> statement-breakpoint
CREATE TRIGGER `message_events_append_only` BEFORE UPDATE ON `message_events`
BEGIN
	SELECT RAISE(ABORT, 'message_events is append-only');
END;
