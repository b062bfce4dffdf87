// The app's client runs each statement with parameters as a prepared statement, parsed and planned
// once per connection: the same few statements run on every signed-in request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findLiveSession, openSession } from "@/lib/accounts/sessions";
import { createCustomer } from "@/lib/privacy/test-fixtures";
import { createDb, type Db } from "@/lib/db/client";
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
});
