// Where the embedded PostgreSQL keeps each data directory's generated superuser password: beside the
// directory, readable by its owner only (written by ./embedded.ts). Apart from that server module so
// the browser tests' database helper (e2e/support/portal-db.ts) reads the password without loading
// it: Playwright loads specs without the "server-only" resolution our processes and Vitest have.
import fs from "node:fs";
import path from "node:path";

export function passwordFile(dataDir: string): string {
  return `${dataDir}.password`;
}

/** The superuser password of the embedded server for `dataDir`, once started (the browser tests read the portal's database with it). */
export function embeddedPassword(dataDir: string): string {
  return fs.readFileSync(passwordFile(path.resolve(dataDir)), "utf8").trim();
}
