CREATE INDEX `points_ledger_sale` ON `points_ledger` (`sale_id`);--> statement-breakpoint
CREATE INDEX `points_ledger_refund` ON `points_ledger` (`refund_id`);--> statement-breakpoint
CREATE INDEX `stock_moves_sale` ON `stock_moves` (`sale_id`);--> statement-breakpoint
CREATE INDEX `stock_moves_refund` ON `stock_moves` (`refund_id`);