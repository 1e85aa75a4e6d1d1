ALTER TABLE "organizations" ADD COLUMN "member_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "organizations" o SET "member_count" = (SELECT count(*) FROM "memberships" m WHERE m."org_id" = o."id");
--> statement-breakpoint
-- The count moves with every statement that adds or removes memberships, in its transaction. Statement-level
-- (one UPDATE per org per statement, not per row), so a bulk insert of 10,000 members updates the org once.
-- An org deleted with its memberships (ON DELETE CASCADE) is already gone: the UPDATE finds nothing.
CREATE OR REPLACE FUNCTION memberships_count_inserted() RETURNS trigger AS $$
BEGIN
  UPDATE organizations o SET member_count = o.member_count + added.n
  FROM (SELECT org_id, count(*) AS n FROM inserted_memberships GROUP BY org_id) added
  WHERE o.id = added.org_id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION memberships_count_deleted() RETURNS trigger AS $$
BEGIN
  UPDATE organizations o SET member_count = o.member_count - removed.n
  FROM (SELECT org_id, count(*) AS n FROM deleted_memberships GROUP BY org_id) removed
  WHERE o.id = removed.org_id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER memberships_count_inserted AFTER INSERT ON memberships REFERENCING NEW TABLE AS inserted_memberships FOR EACH STATEMENT EXECUTE FUNCTION memberships_count_inserted();
--> statement-breakpoint
CREATE TRIGGER memberships_count_deleted AFTER DELETE ON memberships REFERENCING OLD TABLE AS deleted_memberships FOR EACH STATEMENT EXECUTE FUNCTION memberships_count_deleted();
