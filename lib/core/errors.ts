import "server-only";

/**
 * An expected failure whose message is meant for the user ("That link has expired").
 * Anything else that is thrown is a bug and reaches error.tsx.
 */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fieldErrors: Record<string, string[]> = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

export type AppErrorCode =
  | "validation"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "unauthorized"
  | "forbidden"
  | "limit_reached"
  // A service we depend on (the payment provider) did not answer; trying again later may work.
  | "unavailable";

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** The Postgres error code of a driver error, however Drizzle wrapped it. */
export function pgErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Whether an error says the database cannot be reached right now (a restart, a
 * failover, the pooler reconnecting), rather than that the query was wrong:
 * connection-class SQLSTATEs (08…, 57P01–57P03) and the drivers' network errors.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^(08|57P0[123]$|CONNECTION_|CONNECT_TIMEOUT$|ECONNREFUSED$|ECONNRESET$|EPIPE$)/.test(code))
      return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The constraint (or unique index) a driver error names, however Drizzle wrapped it. */
export function pgConstraintName(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    // postgres.js says constraint_name, PGlite constraint.
    const { constraint_name: postgresJs, constraint: pglite } = current as { constraint_name?: unknown; constraint?: unknown };
    const name = postgresJs ?? pglite;
    if (typeof name === "string") return name;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export const UNIQUE_VIOLATION = "23505";

/**
 * Runs `work`, answering a unique-index violation (a name taken, perhaps by a
 * request that won a race) with the given AppError instead of a server error.
 */
export async function answerUniqueViolation<T>(work: () => Promise<T>, answer: (error: unknown) => AppError): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (pgErrorCode(error) === UNIQUE_VIOLATION) throw answer(error);
    throw error;
  }
}

const TAKEN_NAMES: Record<"organization" | "app" | "secret", (name: string) => [message: string, fieldMessage: string]> = {
  organization: (name) => [`The name ${name} is already taken.`, `The name ${name} is already taken. Choose another one.`],
  app: (name) => [`An app named ${name} already exists.`, `An app named ${name} already exists in this organization.`],
  secret: (name) => [`A secret named ${name} already exists.`, `A secret named ${name} already exists in this organization.`],
};

/**
 * The one answer to a name that is taken, whether the check before the write
 * found it or the unique index did (a race lost to another request).
 */
export function nameTakenError(kind: keyof typeof TAKEN_NAMES, name: string, field = "name"): AppError {
  const [message, fieldMessage] = TAKEN_NAMES[kind](name);
  return new AppError("conflict", message, { [field]: [fieldMessage] });
}
