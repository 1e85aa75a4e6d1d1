import "server-only";

import type { z } from "zod";

import { fieldErrorsOf } from "@/lib/shared/validation";

import { AppError } from "./errors";

/**
 * Validates a domain function's input with its schema (the same one the form
 * uses) or throws the form's answer: one message for the form, one per field.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, message = "Check the highlighted fields."): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError("validation", message, fieldErrorsOf(parsed.error));
  return parsed.data;
}

/** The same for a single value shown under one field, whose first problem is the message. */
export function parseFieldOrThrow<S extends z.ZodType>(schema: S, value: unknown, field: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues[0]?.message ?? "Enter a valid value.";
  throw new AppError("validation", message, { [field]: [message] });
}
