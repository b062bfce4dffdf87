// The database foundation against a real PostgreSQL: migration history, DATABASE_URL handling of the
// launcher, transactions and constraint errors as Prisma reports them.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { ensureDatabase } from "@/lib/db/maintenance";
import { deployMigrations } from "@/lib/db/migrations";
import { Prisma } from "@/lib/generated/prisma/client";
import { embeddedDataDir, resolveDatabase } from "@/scripts/support/database";
import { type FreshDatabase, type ThrowawayPostgres, databaseUrl, freshDatabase, startThrowawayPostgres } from "../support/db";

const MIGRATIONS_DIR = path.resolve("prisma/migrations");

type MigrationRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
};

function migrationFolders(): { name: string; checksum: string }[] {
  return fs
    .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({
      name: entry.name,
      checksum: crypto.createHash("sha256").update(fs.readFileSync(path.join(MIGRATIONS_DIR, entry.name, "migration.sql"))).digest("hex"),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

describe("migrations in the template database", () => {
  // The template accepts no connections (see global-setup.ts); a copy holds exactly its contents.
  let copy: FreshDatabase;
  beforeAll(async () => {
    copy = await freshDatabase();
  });
  afterAll(async () => {
    await copy?.drop();
  });

  it("records one finished row per migration folder, with the checksum `prisma migrate deploy` verifies", async () => {
    const folders = migrationFolders();
    expect(folders.length).toBeGreaterThan(0);

    const rows = await copy.db.$queryRaw<MigrationRow[]>`
      SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count
      FROM _prisma_migrations ORDER BY migration_name`;

    expect(rows.map((r) => ({ name: r.migration_name, checksum: r.checksum }))).toEqual(folders);
    for (const row of rows) {
      expect(row.finished_at, row.migration_name).toBeInstanceOf(Date);
      expect(row.rolled_back_at, row.migration_name).toBeNull();
      expect(row.applied_steps_count, row.migration_name).toBe(1);
    }
  });

  it("has the schema the client expects", async () => {
    expect(await copy.db.user.count()).toBe(0);
    expect(await copy.db.order.count()).toBe(0);
  });

  it("applies nothing when deployed again", async () => {
    expect(await deployMigrations(copy.url)).toEqual([]);
  });
});

describe("DATABASE_URL pointing at a separately started server", () => {
  const DATABASE = "waymark_external";
  let external: ThrowawayPostgres;
  let url: string;
  const previousDatabaseUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    external = await startThrowawayPostgres();
    url = databaseUrl(external.serverUrl, DATABASE);
    await ensureDatabase(external.serverUrl, DATABASE);
  });
  afterAll(async () => {
    if (previousDatabaseUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousDatabaseUrl;
    await external?.stop();
  });

  it("migrates the empty database from scratch", async () => {
    expect(await deployMigrations(url)).toEqual(migrationFolders().map((m) => m.name));
  });

  it("is used as given: nothing embedded is started, and stop() leaves that server alone", async () => {
    // A developer's own embedded server may be running; whatever its state, resolveDatabase must not touch it.
    const embeddedPidFile = path.join(embeddedDataDir(), "postmaster.pid");
    const embeddedStateBefore = fs.existsSync(embeddedPidFile) ? fs.readFileSync(embeddedPidFile, "utf8") : null;
    process.env.DATABASE_URL = url;

    const resolved = await resolveDatabase();
    expect(resolved.url).toBe(url);
    expect(resolved.embedded).toBe(false);
    await resolved.stop();

    const embeddedStateAfter = fs.existsSync(embeddedPidFile) ? fs.readFileSync(embeddedPidFile, "utf8") : null;
    expect(embeddedStateAfter).toBe(embeddedStateBefore);

    const db = createDb(resolved.url, 2);
    try {
      const created = await db.user.create({ data: { name: "Operator-run", email: "ops@example.com" } });
      expect(await db.user.findUnique({ where: { email: "ops@example.com" } })).toMatchObject({ id: created.id, role: "CUSTOMER" });
    } finally {
      await db.$disconnect();
    }
  });
});

describe("transactions and constraint errors", () => {
  let fresh: FreshDatabase;
  let db: Db;
  beforeAll(async () => {
    fresh = await freshDatabase();
    db = fresh.db;
  });
  afterAll(async () => {
    await fresh?.drop();
  });

  it("leaves nothing behind when a transaction throws", async () => {
    const email = "rolled-back@example.com";
    await expect(
      db.$transaction(async (tx) => {
        await tx.user.create({ data: { name: "Rolled back", email } });
        expect(await tx.user.count({ where: { email } })).toBe(1);
        throw new Error("abandon the transaction");
      }),
    ).rejects.toThrow("abandon the transaction");

    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("reports a second user with the same email as P2002 and keeps the first", async () => {
    const email = "grace@example.com";
    const first = await db.user.create({ data: { name: "Grace", email } });

    const duplicate = await db.user.create({ data: { name: "Impostor", email } }).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect((duplicate as Prisma.PrismaClientKnownRequestError).code).toBe("P2002");

    expect(await db.user.findMany({ where: { email }, select: { id: true } })).toEqual([{ id: first.id }]);
  });

  it("undoes earlier writes of a transaction that hits a unique violation", async () => {
    const taken = "taken@example.com";
    await db.user.create({ data: { name: "Owner", email: taken } });

    const failure = await db
      .$transaction(async (tx) => {
        await tx.user.create({ data: { name: "Half-created", email: "half@example.com" } });
        await tx.user.create({ data: { name: "Clash", email: taken } });
      })
      .catch((error: unknown) => error);

    expect(failure).toMatchObject({ code: "P2002" });
    expect(await db.user.count({ where: { email: "half@example.com" } })).toBe(0);
  });
});
