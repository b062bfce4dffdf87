import { defineConfig } from "prisma/config";

// Used by the ordinary Prisma CLI only. The app and scripts/migrate.ts pass a driver adapter instead.
// Offline, point PRISMA_SCHEMA_ENGINE_BINARY at scripts/schema-engine-shim (see README).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5433/waymark" },
});
