import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const SUPPORT = path.dirname(new URL(import.meta.url).pathname);
let checkout: string | undefined;
afterEach(() => checkout && fs.rmSync(checkout, { recursive: true, force: true }));

/** A checkout holding only the preload (and the generated client when asked), and a command run through it. */
function runInCheckout({ generated }: { generated: boolean }) {
  checkout = fs.mkdtempSync(path.join(os.tmpdir(), "waymark-checkout-"));
  fs.mkdirSync(path.join(checkout, "scripts/support"), { recursive: true });
  for (const file of ["outside-next.mjs", "outside-next-hooks.mjs"]) fs.copyFileSync(path.join(SUPPORT, file), path.join(checkout, "scripts/support", file));
  if (generated) {
    fs.mkdirSync(path.join(checkout, "lib/generated/prisma"), { recursive: true });
    fs.writeFileSync(path.join(checkout, "lib/generated/prisma/client.ts"), "export {};\n");
  }
  return spawnSync(process.execPath, ["--import", "./scripts/support/outside-next.mjs", "-e", "console.log('ran')"], { cwd: checkout, encoding: "utf8" });
}

describe("a command run outside Next.js", () => {
  it("stops with one line saying what to run when the database client was never generated", () => {
    const run = runInCheckout({ generated: false });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe("[waymark] the database client is not generated (lib/generated/prisma): run npm install, or npx prisma generate");
    expect(run.stdout).toBe("");
  });

  it("runs as before once it is generated", () => {
    const run = runInCheckout({ generated: true });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe("ran");
  });
});
