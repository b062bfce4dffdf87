// One PostgreSQL server for the whole `vitest run`, with a migrated template database that
// freshDatabase() copies. Runs once in the main Vitest process, before any test file.
import type { TestProject } from "vitest/node";
import { ensureDatabase } from "@/lib/db/maintenance";
import { deployMigrations } from "@/lib/db/migrations";
import { TEMPLATE_DATABASE, databaseUrl, runMaintenance, startThrowawayPostgres } from "./db";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the test server's `postgres` database; see tests/support/db.ts. */
    postgresServerUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const startedAt = Date.now();
  const server = await startThrowawayPostgres();
  try {
    await ensureDatabase(server.serverUrl, TEMPLATE_DATABASE);
    await deployMigrations(databaseUrl(server.serverUrl, TEMPLATE_DATABASE));
    // CREATE DATABASE ... TEMPLATE fails while anyone is connected to the template, so nobody may.
    await runMaintenance(server.serverUrl, `ALTER DATABASE "${TEMPLATE_DATABASE}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
  } catch (error) {
    await server.stop();
    throw error;
  }
  project.provide("postgresServerUrl", server.serverUrl);
  console.log(`[tests] PostgreSQL with migrated ${TEMPLATE_DATABASE} ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  return () => server.stop();
}
