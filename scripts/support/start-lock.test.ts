// One npm start per embedded database: a second is refused while the first runs, a lock left by a
// start that was killed, or whose process id another process now has, is taken over, and a start
// releases only its own lock.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { processStartTime, startTimeFromStat } from "../../lib/db/process-alive";
import { claimEmbeddedDatabase, startLockFile } from "./start-lock";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "waymark-start-lock-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** The id of a process that has ended. */
const endedPid = () => spawnSync(process.execPath, ["-e", ""]).pid!;
const refusal = `npm start is already running on this database (pid ${process.pid})`;
/** A second start: another process id, no start time to ask for. */
const second = { pid: process.pid + 1_000_000 };

describe("the embedded database's start lock", () => {
  it("refuses a second start while the first runs, and frees the database when the first stops", () => {
    const dataDir = path.join(scratch, "pg");
    const release = claimEmbeddedDatabase(dataDir);
    expect(fs.readFileSync(startLockFile(dataDir), "utf8")).toBe(`${process.pid} ${processStartTime(process.pid)}`);
    expect(() => claimEmbeddedDatabase(dataDir, second)).toThrow(refusal);
    release();
    expect(fs.existsSync(startLockFile(dataDir))).toBe(false);
    claimEmbeddedDatabase(dataDir, { pid: endedPid() })();
  });

  it("takes over the lock of a start that was killed, and a late release of that start leaves the new one's alone", () => {
    const dataDir = path.join(scratch, "killed");
    const killed = endedPid();
    const releaseKilled = claimEmbeddedDatabase(dataDir, { pid: killed });
    const release = claimEmbeddedDatabase(dataDir);
    expect(fs.readFileSync(startLockFile(dataDir), "utf8")).toMatch(new RegExp(`^${process.pid} `));
    releaseKilled();
    expect(fs.readFileSync(startLockFile(dataDir), "utf8")).toMatch(new RegExp(`^${process.pid} `));
    release();
  });

  it("takes over a lock whose process id another process now has (after a container restart), as its start time differs", () => {
    const dataDir = path.join(scratch, "reused");
    // Written by an earlier process with this test's id, which started at another time.
    fs.writeFileSync(startLockFile(dataDir), `${process.pid} 1`);
    const release = claimEmbeddedDatabase(dataDir, second);
    expect(fs.readFileSync(startLockFile(dataDir), "utf8")).toBe(String(second.pid));
    release();
    expect(fs.existsSync(startLockFile(dataDir))).toBe(false);
  });

  it("decides by the process id alone where no start time can be known (no /proc, or a lock written without one)", () => {
    const noProc = path.join(scratch, "no-proc");
    fs.writeFileSync(startLockFile(noProc), `${process.pid} 1`);
    expect(() => claimEmbeddedDatabase(noProc, { ...second, startTimeOf: () => null })).toThrow(refusal);
    const idOnly = path.join(scratch, "id-only");
    fs.writeFileSync(startLockFile(idOnly), String(process.pid));
    expect(() => claimEmbeddedDatabase(idOnly, second)).toThrow(refusal);
  });
});

describe("a process's start time", () => {
  it("is field 22 of /proc/<pid>/stat, whatever the command's name holds", () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3)).join(" ");
    expect(startTimeFromStat(`4242 (npm start) (x)) ${fields}`)).toBe("22");
  });

  it("is known for a running process, and unknown for one that has ended", () => {
    const ended = endedPid();
    expect(processStartTime(process.pid)).toMatch(/^\d+$/);
    expect(processStartTime(ended)).toBeNull();
  });
});
