import "server-only";

import { z } from "zod";

import { decodeKeysetCursor } from "@/lib/core/keyset-cursor";

/** Building blocks shared by the endpoints' schemas. */

export const uuid = z.string().meta({ format: "uuid", example: "3f2b9c1e-8d4a-4b6e-9a57-2c1d0e9f7a10" });

export const timestamp = z.iso.datetime().meta({ description: "UTC, ISO 8601.", example: "2026-11-28T23:50:01.123Z" });

export const iso = (date: Date) => date.toISOString();

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// No row has the nil UUID (ids come from gen_random_uuid()).
const NO_SUCH_ID = "00000000-0000-0000-0000-000000000000";

/**
 * `{id}` in a path. Any string is accepted: one that names nothing here is a 404,
 * like another org's id. A string that is not a UUID is looked up as the nil
 * UUID, so the domain answers its own "not found": lib's id guard
 * (/^[0-9a-f-]{36}$/) lets through strings Postgres refuses to cast (a 500).
 */
export const idParams = (what: string) =>
  z.object({
    id: z
      .string()
      .max(100)
      .transform((value) => (UUID_PATTERN.test(value) ? value : NO_SUCH_ID))
      .meta({ description: `The ${what}'s id (a UUID).`, format: "uuid" }),
  });

export const cursorParam = z
  .string()
  .refine((value) => decodeKeysetCursor(value) !== undefined, "Pass the nextCursor of a previous page, unchanged.")
  .optional()
  .meta({ description: "`nextCursor` from the previous page; omit for the first page." });

export const limitParam = z.coerce
  .number({ error: "Use a whole number from 1 to 200." })
  .int("Use a whole number from 1 to 200.")
  .min(1, "Use a whole number from 1 to 200.")
  .max(200, "Use a whole number from 1 to 200.")
  .optional()
  .meta({ description: "Entries per page, 1 to 200 (default 50)." });

export const nextCursor = z.string().nullable().meta({ description: "Pass it as `cursor` to get the next page; null on the last page." });
