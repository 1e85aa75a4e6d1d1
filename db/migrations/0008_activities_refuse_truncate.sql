-- Row triggers do not see TRUNCATE: refuse it as a statement.
CREATE TRIGGER activities_refuse_truncate BEFORE TRUNCATE ON activities FOR EACH STATEMENT EXECUTE FUNCTION activities_refuse_update();
