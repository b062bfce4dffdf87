// One npm start per embedded database: a second is refused while the first runs, a lock left by a
// start that was killed is taken over, and a start releases only its own lock.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { claimEmbeddedDatabase, startLockFile } from "./start-lock";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "waymark-start-lock-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** The id of a process that has ended. */
const endedPid = () => spawnSync(process.execPath, ["-e", ""]).pid!;

describe("the embedded database's start lock", () => {
  it("refuses a second start while the first runs, and frees the database when the first stops", () => {
    const dataDir = path.join(scratch, "pg");
    const release = claimEmbeddedDatabase(dataDir);
    expect(() => claimEmbeddedDatabase(dataDir, process.pid + 1_000_000)).toThrow(`npm start is already running on this database (pid ${process.pid})`);
    release();
    expect(fs.existsSync(startLockFile(dataDir))).toBe(false);
    claimEmbeddedDatabase(dataDir, endedPid())();
  });

  it("takes over the lock of a start that was killed, and a late release of that start leaves the new one's alone", () => {
    const dataDir = path.join(scratch, "killed");
    const killed = endedPid();
    const releaseKilled = claimEmbeddedDatabase(dataDir, killed);
    const release = claimEmbeddedDatabase(dataDir);
    expect(fs.readFileSync(startLockFile(dataDir), "utf8")).toBe(String(process.pid));
    releaseKilled();
    expect(fs.readFileSync(startLockFile(dataDir), "utf8")).toBe(String(process.pid));
    release();
  });
});
