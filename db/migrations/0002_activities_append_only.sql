-- The activity stream is append-only: no code path may rewrite history.
-- Rows still go with their organization (ON DELETE CASCADE), which is a DELETE.
CREATE OR REPLACE FUNCTION activities_refuse_update() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'activity entries are append-only and cannot be updated' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER activities_append_only BEFORE UPDATE ON activities FOR EACH ROW EXECUTE FUNCTION activities_refuse_update();
