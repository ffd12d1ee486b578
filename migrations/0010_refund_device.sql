ALTER TABLE `refunds` ADD `device_id` text;--> statement-breakpoint
-- Refunds made before sync were all made at this counter. The append-only trigger is lifted for
-- this one backfill and put back as it was.
DROP TRIGGER `refunds_no_update`;
--> statement-breakpoint
UPDATE `refunds` SET `device_id` = (SELECT json_extract(`value`, '$.deviceId') FROM `settings` WHERE `key` = 'device');
--> statement-breakpoint
CREATE TRIGGER `refunds_no_update` BEFORE UPDATE ON `refunds`
BEGIN
	SELECT RAISE(ABORT, 'refunds is append-only');
END;
