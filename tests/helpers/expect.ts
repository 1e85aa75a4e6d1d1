import { expect } from "vitest";

import { AppError, type AppErrorCode } from "@/lib/core/errors";

/** Runs `work`, expecting an AppError with `code`; returns it for further checks. */
export async function expectAppError(work: Promise<unknown>, code: AppErrorCode): Promise<AppError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected an AppError "${code}"`).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code, appError.message).toBe(code);
  return appError;
}
