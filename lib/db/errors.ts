/**
 * A unique constraint refused an insert (Prisma's P2002). Recognised by its code, not with
 * instanceof: Next bundles the generated client into more than one module graph, and an error from
 * one copy is not an instance of the other copy's class.
 */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === "P2002";
}

/** The database could not be started or reached; the message is one line that says what to do. */
export class DatabaseStartError extends Error {}
