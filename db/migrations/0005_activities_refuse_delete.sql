-- Entries go only with their organization. A DELETE of an entry whose org still
-- exists is refused; the cascade from deleting the org runs after the org row is
-- gone, so it passes.
CREATE OR REPLACE FUNCTION activities_refuse_delete() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM organizations WHERE id = OLD.org_id) THEN
    RAISE EXCEPTION 'activity entries are append-only: they are deleted only with their organization' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER activities_refuse_delete BEFORE DELETE ON activities FOR EACH ROW EXECUTE FUNCTION activities_refuse_delete();
