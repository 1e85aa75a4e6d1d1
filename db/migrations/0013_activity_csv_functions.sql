-- The CSV export (lib/activity/export.ts) formats its rows in the database: Node
-- formatting 1,000,000 rows took most of a 40-second export. These functions
-- reproduce, byte for byte, what the export wrote from JavaScript before.
--
-- activity_csv_field: csvField() — a spreadsheet formula is defused with a leading
-- quote, then the field is quoted when it holds a quote, comma, CR or LF.
CREATE FUNCTION activity_csv_field(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN strpos(v, '"') > 0 OR strpos(v, ',') > 0 OR strpos(v, chr(13)) > 0 OR strpos(v, chr(10)) > 0
      THEN '"' || replace(v, '"', '""') || '"'
    ELSE v
  END
  FROM (SELECT CASE WHEN left(value, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || value ELSE coalesce(value, '') END AS v) AS defused
$$;
--> statement-breakpoint
-- activity_metadata_json: JSON.stringify() of the metadata as the driver reads it
-- (jsonb's own text has spaces after ':' and ','); keys in jsonb's order, which is
-- JavaScript's for every key lib/ writes (none looks like an array index).
CREATE FUNCTION activity_metadata_json(value jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  CASE jsonb_typeof(value)
    WHEN 'object' THEN
      RETURN '{' || coalesce((SELECT string_agg(to_json(e.key)::text || ':' || activity_metadata_json(e.item), ',' ORDER BY e.position)
        FROM jsonb_each(value) WITH ORDINALITY AS e(key, item, position)), '') || '}';
    WHEN 'array' THEN
      RETURN '[' || coalesce((SELECT string_agg(activity_metadata_json(a.item), ',' ORDER BY a.position)
        FROM jsonb_array_elements(value) WITH ORDINALITY AS a(item, position)), '') || ']';
    ELSE
      RETURN value::text;
  END CASE;
END
$$;
