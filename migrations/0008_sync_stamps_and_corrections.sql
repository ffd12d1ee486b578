-- Rows written before sync get one clock stamp for all their fields, from their last edit, so a
-- later edit anywhere wins over them and two counters' old rows compare by when they changed.
UPDATE `customers` SET `sync_clock` = json_object('*', printf('%015d:0000:legacy', `updated_at`));
--> statement-breakpoint
UPDATE `products` SET `sync_clock` = json_object('*', printf('%015d:0000:legacy', `updated_at`));
--> statement-breakpoint
UPDATE `staff` SET `sync_clock` = json_object('*', printf('%015d:0000:legacy', `updated_at`));
--> statement-breakpoint
UPDATE `business_profile` SET `sync_clock` = json_object('*', printf('%015d:0000:legacy', `updated_at`));
--> statement-breakpoint
UPDATE `settings` SET `sync_clock` = printf('%015d:0000:legacy', `updated_at`);
--> statement-breakpoint
-- A customer's notes become the first entry of its notes log.
UPDATE `customers` SET `notes_log` = json_array(json_object('id', 'legacy-' || `id`, 'text', `notes`, 'hlc', printf('%015d:0000:legacy', `updated_at`)))
WHERE `notes` <> '';
--> statement-breakpoint
-- Mutations queued before sync had no fixed shape; pairing queues every record afresh.
UPDATE `outbox` SET `status` = 'applied', `result` = 'queued before sync existed', `pushed_at` = `created_at`
WHERE `pushed_at` IS NULL;
--> statement-breakpoint
-- The ledgers stay append-only, except while a ledger_corrections row exists inside the owner's
-- settling of a sale conflict (see main/services/sync/conflicts.ts).
DROP TRIGGER `sale_lines_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `sale_lines_no_delete` BEFORE DELETE ON `sale_lines`
WHEN NOT EXISTS (SELECT 1 FROM `ledger_corrections`)
BEGIN
	SELECT RAISE(ABORT, 'sale_lines is append-only');
END;
--> statement-breakpoint
DROP TRIGGER `sale_payments_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `sale_payments_no_delete` BEFORE DELETE ON `sale_payments`
WHEN NOT EXISTS (SELECT 1 FROM `ledger_corrections`)
BEGIN
	SELECT RAISE(ABORT, 'sale_payments is append-only');
END;
--> statement-breakpoint
DROP TRIGGER `stock_moves_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `stock_moves_no_delete` BEFORE DELETE ON `stock_moves`
WHEN NOT EXISTS (SELECT 1 FROM `ledger_corrections`)
BEGIN
	SELECT RAISE(ABORT, 'stock_moves is append-only');
END;
--> statement-breakpoint
DROP TRIGGER `points_ledger_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `points_ledger_no_delete` BEFORE DELETE ON `points_ledger`
WHEN NOT EXISTS (SELECT 1 FROM `ledger_corrections`)
BEGIN
	SELECT RAISE(ABORT, 'points_ledger is append-only');
END;
--> statement-breakpoint
DROP TRIGGER `sales_amounts_fixed`;
--> statement-breakpoint
CREATE TRIGGER `sales_amounts_fixed` BEFORE UPDATE OF id, receipt_number, device_id, staff_id, subtotal_kobo, discount_kobo, total_kobo, points_earned, risk_score, risk_reasons, created_at ON `sales`
WHEN NOT EXISTS (SELECT 1 FROM `ledger_corrections`)
BEGIN
	SELECT RAISE(ABORT, 'sales are append-only');
END;
