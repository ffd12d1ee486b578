-- Leaner search rows: the name once when the display name is just first + last, the WhatsApp
-- number only when it differs from the phone, tags without JSON punctuation. Fewer trigrams make
-- every insert cheaper (a 100k-row CSV import spent most of its time here) and match the same.
DROP TRIGGER `customers_fts_insert`;
--> statement-breakpoint
DROP TRIGGER `customers_fts_update`;
--> statement-breakpoint
CREATE TRIGGER `customers_fts_insert` AFTER INSERT ON `customers`
BEGIN
	INSERT INTO customers_fts (rowid, name, phone, tags) VALUES (
		new.rowid,
		new.display_name || CASE WHEN new.display_name = trim(new.first_name || ' ' || new.last_name) THEN '' ELSE ' ' || new.first_name || ' ' || new.last_name END,
		new.phone_national || CASE WHEN new.whatsapp IS NULL OR new.whatsapp = new.phone THEN '' ELSE ' 0' || substr(new.whatsapp, 5) END,
		replace(replace(replace(new.tags, '[', ''), ']', ''), '"', '')
	);
END;
--> statement-breakpoint
CREATE TRIGGER `customers_fts_update` AFTER UPDATE OF display_name, first_name, last_name, phone_national, whatsapp, phone, tags ON `customers`
BEGIN
	DELETE FROM customers_fts WHERE rowid = old.rowid;
	INSERT INTO customers_fts (rowid, name, phone, tags) VALUES (
		new.rowid,
		new.display_name || CASE WHEN new.display_name = trim(new.first_name || ' ' || new.last_name) THEN '' ELSE ' ' || new.first_name || ' ' || new.last_name END,
		new.phone_national || CASE WHEN new.whatsapp IS NULL OR new.whatsapp = new.phone THEN '' ELSE ' 0' || substr(new.whatsapp, 5) END,
		replace(replace(replace(new.tags, '[', ''), ']', ''), '"', '')
	);
END;
--> statement-breakpoint
INSERT INTO customers_fts (customers_fts) VALUES ('delete-all');
--> statement-breakpoint
INSERT INTO customers_fts (rowid, name, phone, tags)
SELECT
	c.rowid,
	c.display_name || CASE WHEN c.display_name = trim(c.first_name || ' ' || c.last_name) THEN '' ELSE ' ' || c.first_name || ' ' || c.last_name END,
	c.phone_national || CASE WHEN c.whatsapp IS NULL OR c.whatsapp = c.phone THEN '' ELSE ' 0' || substr(c.whatsapp, 5) END,
	replace(replace(replace(c.tags, '[', ''), ']', ''), '"', '')
FROM customers c;
