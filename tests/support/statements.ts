// Statements this process's node-postgres clients send (underneath Prisma's adapter, and the
// feed's own connection), counted while a test asks: how many of a kind some work sent.
import pg from "pg";
import { afterAll } from "vitest";

type Counted<T> = { result: T; statements: number };

/** Counts, during each call of what it returns, the statements whose text `matches` says are of the kind. */
export function statementCounter(matches: (text: string) => boolean): <T>(work: () => Promise<T>) => Promise<Counted<T>> {
  let counted: number | null = null;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    if (counted !== null && matches(typeof first === "string" ? first : (first?.text ?? ""))) counted++;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  afterAll(() => {
    pg.Client.prototype.query = query;
  });
  return async (work) => {
    counted = 0;
    try {
      const result = await work();
      return { result, statements: counted };
    } finally {
      counted = null;
    }
  };
}
