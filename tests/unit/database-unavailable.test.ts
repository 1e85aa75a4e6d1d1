import { describe, expect, it } from "vitest";

import { isDatabaseUnavailable } from "@/lib/core/errors";

describe("isDatabaseUnavailable", () => {
  it.each(["08006", "08P01", "57P01", "57P03", "CONNECTION_CLOSED", "CONNECT_TIMEOUT", "ECONNREFUSED", "ECONNRESET"])(
    "says %s is the database being unreachable (503, retry)",
    (code) => {
      expect(isDatabaseUnavailable(Object.assign(new Error("x"), { code }))).toBe(true);
      // Wrapped by Drizzle, as the cause.
      expect(isDatabaseUnavailable(Object.assign(new Error("Failed query"), { cause: Object.assign(new Error("x"), { code }) }))).toBe(
        true,
      );
    },
  );

  it.each(["23505", "40001", "42P01", undefined])("keeps %s a fault (500)", (code) => {
    expect(isDatabaseUnavailable(Object.assign(new Error("x"), { code }))).toBe(false);
  });
});
