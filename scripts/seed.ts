// Fills an empty Waymark database with the deterministic demo data (lib/seed/demo.ts):
//   npm run seed -- [--customers N] [--seed S] [--force]
// Against DATABASE_URL or, when unset, the embedded PostgreSQL under .data/. Migrations are applied
// first. An already seeded database is left alone; seeding never deletes anything.
import "./support/require-outside-next";
import { parseArgs } from "node:util";
import { createDb } from "../lib/db/client";
import { deployMigrations } from "../lib/db/migrations";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, isSeeded, seedDemoData } from "../lib/seed/demo";
import { withDatabase } from "./support/database";

const { values } = parseArgs({
  options: {
    customers: { type: "string" },
    seed: { type: "string" },
    force: { type: "boolean", default: false },
  },
});

function wholeNumber(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} must be a whole number, got "${raw}"`);
  return value;
}

/** Where the data went, without the password that the URL may carry. */
function describe(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname.slice(1)} on ${parsed.hostname}:${parsed.port || 5432}`;
}

await withDatabase(async (url) => {
  const customers = wholeNumber("customers", values.customers);
  const seed = wholeNumber("seed", values.seed);
  const applied = await deployMigrations(url);
  if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);

  const db = createDb(url, 2);
  try {
    if (!values.force && (await isSeeded(db))) {
      console.log(`Database ${describe(url)} is already seeded: skipping the demo seed.`);
      return;
    }
    const [users, products, orders] = await Promise.all([db.user.count(), db.product.count(), db.order.count()]);
    if (users + products + orders > 0) {
      // Re-seeding would mean deleting data first: that stays a deliberate human step.
      throw new Error(
        `Refusing to seed ${describe(url)}: it is not empty, and the seed never deletes data. ` +
          `To start over, drop the database (e.g. psql -c 'DROP DATABASE ${new URL(url).pathname.slice(1)}' ` +
          `against the same server) and run this again.`,
      );
    }
    const result = await seedDemoData(db, { customers, seed });
    console.log(
      `Seeded ${describe(url)}: ${result.customers} customers, ${result.orders} orders in ${(result.durationMs / 1000).toFixed(1)} s.`,
    );
    console.log(`Sign in with password "${DEMO_PASSWORD}" as:`);
    for (const account of DEMO_ACCOUNTS) console.log(`  ${account.email.padEnd(22)} ${account.name} (${account.role.toLowerCase()})`);
  } finally {
    await db.$disconnect();
  }
});
