// The app's client runs each statement with parameters as a prepared statement, parsed and planned
// once per connection: the same few statements run on every signed-in request.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { findLiveSession, openSession } from "@/lib/accounts/sessions";
import { createCustomer } from "@/lib/privacy/test-fixtures";
import { createDb, queryDirect, type Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { freshDatabase, type FreshDatabase } from "@/tests/support/db";

let database: FreshDatabase;
let oneConnection: Db;

beforeAll(async () => {
  database = await freshDatabase();
  // One connection, so what the session has prepared is what every call used.
  oneConnection = createDb(database.url, 1);
});
afterAll(async () => {
  await oneConnection.$disconnect();
  await database.drop();
});

const prepared = (db: Db) => db.$queryRaw<{ statement: string }[]>`SELECT statement FROM pg_prepared_statements`;

describe("the app's database client", () => {
  it("prepares the session check once and reuses it on every later request", async () => {
    const customer = await createCustomer(database.db);
    const session = await openSession(database.db, customer.id, null);
    for (let i = 0; i < 3; i++) expect((await findLiveSession(oneConnection, session.id))?.user.id).toBe(customer.id);
    const statements = (await prepared(oneConnection)).map((s) => s.statement);
    expect(statements.filter((s) => s.includes(`FROM "AuthSession" s JOIN "User" u`))).toHaveLength(1);
  });

  it("runs a statement without parameters as before (a script of several statements still runs)", async () => {
    await oneConnection.$executeRawUnsafe(`SELECT 1; SELECT 2`);
    expect((await prepared(oneConnection)).map((s) => s.statement)).not.toContain("SELECT 1; SELECT 2");
  });

  it("keeps serving when the database closes an idle connection that only direct statements used", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const direct = createDb(database.url, 1);
    const backend = async () => (await queryDirect<{ pid: number }>(direct, "SELECT pg_backend_pid() AS pid WHERE $1::int = 1", [1]))[0].pid;
    try {
      const first = await backend();
      await database.db.$executeRaw`SELECT pg_terminate_backend(${first}::int)`;
      await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(expect.stringContaining("an idle database connection was closed")));
      expect(await backend()).not.toBe(first);
    } finally {
      await direct.$disconnect();
      warn.mockRestore();
    }
  });

  it("sends a direct statement in a transaction on the transaction's connection: it sees the transaction's writes and rolls back with it", async () => {
    const customer = await createCustomer(database.db);
    const nameOf = async (db: Db | Prisma.TransactionClient) => (await queryDirect<{ name: string }>(db, `SELECT "name" FROM "User" WHERE "id" = $1`, [customer.id]))[0].name;
    const before = await nameOf(database.db);
    await expect(
      oneConnection.$transaction(async (tx) => {
        await tx.user.update({ where: { id: customer.id }, data: { name: "Changed by Prisma" } });
        expect(await nameOf(tx)).toBe("Changed by Prisma");
        await queryDirect(tx, `UPDATE "User" SET "name" = $1 WHERE "id" = $2`, ["Changed directly", customer.id]);
        expect((await tx.user.findUniqueOrThrow({ where: { id: customer.id } })).name).toBe("Changed directly");
        expect(await nameOf(database.db)).toBe(before);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await nameOf(database.db)).toBe(before);
    // Sent as the app's own prepared statement, not through Prisma's raw query (named waymark_<n>).
    const names = await oneConnection.$queryRaw<{ name: string }[]>`SELECT name FROM pg_prepared_statements WHERE statement LIKE 'UPDATE "User" SET "name" = $1%'`;
    expect(names.map((n) => n.name)).toEqual([expect.stringMatching(/^waymark_direct_/)]);
  });

  it("commits a direct statement with the transaction it ran in", async () => {
    const customer = await createCustomer(database.db);
    await oneConnection.$transaction(async (tx) => {
      await queryDirect(tx, `UPDATE "User" SET "name" = $1 WHERE "id" = $2`, ["Committed directly", customer.id]);
    });
    expect((await database.db.user.findUniqueOrThrow({ where: { id: customer.id } })).name).toBe("Committed directly");
  });
});
