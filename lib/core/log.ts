import "server-only";

import pino, { type DestinationStream, type Logger } from "pino";

import { logLevel } from "./env";

export type { Logger } from "pino";

/**
 * The one logger of the app, the worker and the job queue: JSON lines on stdout,
 * one object per event, with `requestId` or `jobId` bound by the caller (`child`).
 * Never log a secret or a link: the paths below are censored should one slip into
 * an object, and e-mails are logged by id and template, never by body.
 */
/** What is censored should it slip into a logged object. */
export const LOG_REDACTION = {
  paths: [
    "password",
    "token",
    "secret",
    "cookie",
    "*.password",
    "*.token",
    "*.secret",
    "*.authorization",
    "*.cookie",
    "html",
    "text",
    "url",
    "*.url",
  ],
  censor: "[redacted]",
};

/** The app's logger; `destination` is for tests (stdout otherwise). */
export function createLogger(destination?: DestinationStream): Logger {
  return pino({ level: logLevel(), base: { pid: process.pid }, redact: LOG_REDACTION }, destination);
}

const globalForLog = globalThis as unknown as { appLogger?: Logger };

/** Shared across Next's module graphs, like the database. */
export const log: Logger = (globalForLog.appLogger ??= createLogger());

/** An Error as a log field: message and stack, no enumerable extras (which may hold request data). */
export function errorField(error: unknown): { message: string; name?: string; code?: string; stack?: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, ...(typeof code === "string" ? { code } : {}), stack: error.stack };
  }
  return { message: String(error) };
}
