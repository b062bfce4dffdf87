// Prisma migrations applied and created through the wasm schema engine: standard
// prisma/migrations/<timestamp>_<name>/migration.sql folders and the standard _prisma_migrations
// table, so `prisma migrate deploy` with the native engine accepts the same history.
import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaFilter, SchemasContainer } from "@prisma/schema-engine-wasm";
import { env } from "../config/env";
import { migrateJobQueue } from "../jobs/schema";
import { openMigrationAdapter } from "./adapter";
import { clearEngineTimers, loadSchemaEngineClass } from "./schema-engine-wasm";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SCHEMA_PATH = path.join(ROOT, "prisma/schema.prisma");
const MIGRATIONS_DIR = path.join(ROOT, "prisma/migrations");
const LOCKFILE = "migration_lock.toml";
const FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

async function loadSchemas(): Promise<SchemasContainer> {
  return { files: [{ path: SCHEMA_PATH, content: await fs.readFile(SCHEMA_PATH, "utf8") }] };
}

async function loadMigrationsList(): Promise<MigrationList> {
  const lockContent = await fs.readFile(path.join(MIGRATIONS_DIR, LOCKFILE), "utf8").catch(() => null);
  const entries = await fs.readdir(MIGRATIONS_DIR, { withFileTypes: true }).catch(() => []);
  const migrationDirectories = [];
  for (const e of entries.filter((d) => d.isDirectory())) {
    const content = await fs
      .readFile(path.join(MIGRATIONS_DIR, e.name, "migration.sql"), "utf8")
      .then((value) => ({ tag: "ok" as const, value }))
      .catch((err: Error) => ({ tag: "error" as const, value: err.message }));
    migrationDirectories.push({ path: e.name, migrationFile: { path: "migration.sql", content } });
  }
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  return { baseDir: MIGRATIONS_DIR, lockfile: { path: LOCKFILE, content: lockContent }, shadowDbInitScript: "", migrationDirectories };
}

async function withEngine<T>(url: string, work: (engine: Awaited<ReturnType<typeof openEngine>>) => Promise<T>): Promise<T> {
  const adapter = openMigrationAdapter(url);
  const engine = await openEngine(adapter.factory);
  try {
    return await work(engine);
  } finally {
    engine.free();
    clearEngineTimers();
    await adapter.close();
  }
}

async function openEngine(factory: ReturnType<typeof openMigrationAdapter>["factory"]) {
  const SchemaEngine = await loadSchemaEngineClass();
  const schemas = await loadSchemas();
  return SchemaEngine.new(
    { datamodels: schemas.files.map((f) => [f.path, f.content] as [string, string]) },
    (msg: string) => {
      if (env().MIGRATE_DEBUG) process.stderr.write(`[schema-engine] ${msg}\n`);
    },
    bindMigrationAwareSqlAdapterFactory(factory),
  );
}

/** Like `prisma migrate deploy`: applies pending migrations, refuses when one failed before. */
export async function deployMigrations(url: string): Promise<string[]> {
  return withEngine(url, async (engine) => {
    const diag = await engine.diagnoseMigrationHistory({ migrationsList: await loadMigrationsList(), optInToShadowDatabase: false, filters: FILTERS });
    if (diag.failedMigrationNames.length) throw new Error(`Failed migrations in the target database: ${diag.failedMigrationNames.join(", ")} (P3009)`);
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: await loadMigrationsList(), filters: FILTERS });
    // The job queue's own schema, so web processes can queue jobs before any worker has started.
    await migrateJobQueue(url);
    return appliedMigrationNames;
  });
}

/** Like `prisma migrate dev --name`: applies what is pending, then writes and applies a new migration. */
export async function createMigration(url: string, rawName: string): Promise<string | null> {
  const name = rawName.toLowerCase().replace(/[^a-z0-9_]+/g, "_");
  return withEngine(url, async (engine) => {
    const diagnostic = await engine.devDiagnostic({ migrationsList: await loadMigrationsList(), filters: FILTERS });
    if (diagnostic.action.tag === "reset") throw new Error(`The database needs a reset: ${diagnostic.action.reason}`);
    await engine.applyMigrations({ migrationsList: await loadMigrationsList(), filters: FILTERS });
    const created = await engine.createMigration({
      draft: false,
      migrationName: name,
      migrationsList: await loadMigrationsList(),
      schema: await loadSchemas(),
      filters: FILTERS,
    });
    if (created.migrationScript === null) return null;
    const dir = path.join(MIGRATIONS_DIR, created.generatedMigrationName);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, `migration.${created.extension}`), created.migrationScript, "utf8");
    await fs.writeFile(
      path.join(MIGRATIONS_DIR, LOCKFILE),
      `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${created.connectorType}"\n`,
      "utf8",
    );
    await engine.applyMigrations({ migrationsList: await loadMigrationsList(), filters: FILTERS });
    return created.generatedMigrationName;
  });
}

/** Like `prisma migrate status`: the engine's diagnosis of the history against the database. */
export async function migrationStatus(url: string) {
  return withEngine(url, async (engine) =>
    engine.diagnoseMigrationHistory({ migrationsList: await loadMigrationsList(), optInToShadowDatabase: false, filters: FILTERS }),
  );
}
