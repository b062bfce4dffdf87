// Offline `prisma migrate` for Waymark: deploy | dev --name <name> | status, against DATABASE_URL
// or, when unset, the embedded PostgreSQL under .data/ (started for the duration of the command).
import "./support/require-outside-next";
import { parseArgs } from "node:util";
import { createMigration, deployMigrations, migrationStatus } from "../lib/db/migrations";
import { withDatabase } from "./support/database";

const { positionals, values } = parseArgs({ allowPositionals: true, options: { name: { type: "string", short: "n" } } });
const command = positionals[0] ?? "deploy";

await withDatabase(async (url) => {
  if (command === "deploy") {
    const applied = await deployMigrations(url);
    console.log(applied.length ? `Applied: ${applied.join(", ")}` : "No pending migrations to apply.");
  } else if (command === "dev") {
    if (!values.name) throw new Error("dev needs --name <name>");
    const created = await createMigration(url, values.name);
    console.log(created ? `Created and applied prisma/migrations/${created}` : "Already in sync, no migration created.");
  } else if (command === "status") {
    const diagnosis = await migrationStatus(url);
    console.log(JSON.stringify(diagnosis, null, 2));
    if (diagnosis.history || diagnosis.failedMigrationNames.length) process.exitCode = 1;
  } else {
    throw new Error(`unknown command ${command}: use deploy, dev --name <name> or status`);
  }
});
