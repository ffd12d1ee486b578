-- Customer search: a trigram FTS5 index (substring match on names, phone digits and tags),
-- contentless and kept in step with `customers` by triggers.
CREATE VIRTUAL TABLE `customers_fts` USING fts5(name, phone, tags, content='', contentless_delete=1, tokenize='trigram');
--> statement-breakpoint
CREATE TRIGGER `customers_fts_insert` AFTER INSERT ON `customers`
BEGIN
	INSERT INTO customers_fts (rowid, name, phone, tags) VALUES (
		new.rowid,
		new.display_name || ' ' || new.first_name || ' ' || new.last_name,
		new.phone_national || ' ' || coalesce('0' || substr(new.whatsapp, 5), ''),
		new.tags
	);
END;
--> statement-breakpoint
CREATE TRIGGER `customers_fts_update` AFTER UPDATE OF display_name, first_name, last_name, phone_national, whatsapp, tags ON `customers`
BEGIN
	DELETE FROM customers_fts WHERE rowid = old.rowid;
	INSERT INTO customers_fts (rowid, name, phone, tags) VALUES (
		new.rowid,
		new.display_name || ' ' || new.first_name || ' ' || new.last_name,
		new.phone_national || ' ' || coalesce('0' || substr(new.whatsapp, 5), ''),
		new.tags
	);
END;
--> statement-breakpoint
CREATE TRIGGER `customers_fts_delete` AFTER DELETE ON `customers`
BEGIN
	DELETE FROM customers_fts WHERE rowid = old.rowid;
END;
--> statement-breakpoint
-- Ledgers are append-only: the database refuses edits and deletions.
CREATE TRIGGER `sale_lines_no_update` BEFORE UPDATE ON `sale_lines`
BEGIN
	SELECT RAISE(ABORT, 'sale_lines is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `sale_lines_no_delete` BEFORE DELETE ON `sale_lines`
BEGIN
	SELECT RAISE(ABORT, 'sale_lines is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `sale_payments_no_update` BEFORE UPDATE ON `sale_payments`
BEGIN
	SELECT RAISE(ABORT, 'sale_payments is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `sale_payments_no_delete` BEFORE DELETE ON `sale_payments`
BEGIN
	SELECT RAISE(ABORT, 'sale_payments is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `refunds_no_update` BEFORE UPDATE ON `refunds`
BEGIN
	SELECT RAISE(ABORT, 'refunds is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `refunds_no_delete` BEFORE DELETE ON `refunds`
BEGIN
	SELECT RAISE(ABORT, 'refunds is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `refund_lines_no_update` BEFORE UPDATE ON `refund_lines`
BEGIN
	SELECT RAISE(ABORT, 'refund_lines is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `refund_lines_no_delete` BEFORE DELETE ON `refund_lines`
BEGIN
	SELECT RAISE(ABORT, 'refund_lines is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `points_ledger_no_update` BEFORE UPDATE ON `points_ledger`
BEGIN
	SELECT RAISE(ABORT, 'points_ledger is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `points_ledger_no_delete` BEFORE DELETE ON `points_ledger`
BEGIN
	SELECT RAISE(ABORT, 'points_ledger is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `stock_moves_no_update` BEFORE UPDATE ON `stock_moves`
BEGIN
	SELECT RAISE(ABORT, 'stock_moves is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `stock_moves_no_delete` BEFORE DELETE ON `stock_moves`
BEGIN
	SELECT RAISE(ABORT, 'stock_moves is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `customer_consents_no_update` BEFORE UPDATE ON `customer_consents`
BEGIN
	SELECT RAISE(ABORT, 'customer_consents is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `customer_consents_no_delete` BEFORE DELETE ON `customer_consents`
BEGIN
	SELECT RAISE(ABORT, 'customer_consents is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `customer_phone_changes_no_update` BEFORE UPDATE ON `customer_phone_changes`
BEGIN
	SELECT RAISE(ABORT, 'customer_phone_changes is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `customer_phone_changes_no_delete` BEFORE DELETE ON `customer_phone_changes`
BEGIN
	SELECT RAISE(ABORT, 'customer_phone_changes is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `loyalty_events_no_update` BEFORE UPDATE ON `loyalty_events`
BEGIN
	SELECT RAISE(ABORT, 'loyalty_events is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `loyalty_events_no_delete` BEFORE DELETE ON `loyalty_events`
BEGIN
	SELECT RAISE(ABORT, 'loyalty_events is append-only');
END;
--> statement-breakpoint
-- A sale's amounts never change; only who it is attributed to may move (a customer merge, audited).
CREATE TRIGGER `sales_amounts_fixed` BEFORE UPDATE OF id, receipt_number, device_id, staff_id, subtotal_kobo, discount_kobo, total_kobo, points_earned, risk_score, risk_reasons, created_at ON `sales`
BEGIN
	SELECT RAISE(ABORT, 'sales are append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `sales_no_delete` BEFORE DELETE ON `sales`
BEGIN
	SELECT RAISE(ABORT, 'sales are append-only');
END;
