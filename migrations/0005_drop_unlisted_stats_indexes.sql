DROP INDEX `customer_stats_spent`;--> statement-breakpoint
DROP INDEX `customer_stats_last_purchase`;--> statement-breakpoint
DROP INDEX `customer_stats_points`;