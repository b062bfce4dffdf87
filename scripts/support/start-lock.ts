// One `npm start` per embedded database. A second one (another PORT, the same data directory)
// joined the first one's PostgreSQL and ran a second web server and worker beside it, until the
// first was stopped and took the database down under it: the embedded server belongs to the start
// that launched it. Several web servers and workers on one database is how a deployment scales,
// on a PostgreSQL no start owns (DATABASE_URL), where no lock is taken.
import fs from "node:fs";
import path from "node:path";
import { isAlive, processStartTime } from "../../lib/db/process-alive";
import { StartFailure } from "./start-failure";

/** The file naming the start that holds `dataDir`, beside it as its password file is. */
export const startLockFile = (dataDir: string) => `${dataDir}.start-pid`;

/** `startTimeOf`: when a process started (lib/db/process-alive.ts), null where that cannot be known. */
type Claimant = { pid: number; startTimeOf: (pid: number) => string | null };

/**
 * Claims `dataDir` for this start, or refuses in one line while another start holds it. A lock
 * left by a start that ended without releasing it (killed) is taken over, and so is one whose
 * process id now belongs to another process (after a container restart ids start again, and the
 * start was refused for nothing): the lock keeps its process's start time beside its id. Where a
 * start time cannot be known (no /proc, or a lock written without one), the id alone decides.
 * Returns the release.
 */
export function claimEmbeddedDatabase(dataDir: string, { pid = process.pid, startTimeOf = processStartTime }: Partial<Claimant> = {}): () => void {
  const file = startLockFile(dataDir);
  const mine = [pid, startTimeOf(pid)].filter((part) => part !== null).join(" ");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, mine, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const [holder, startedAt] = fs.readFileSync(file, "utf8").trim().split(" ");
    const holderPid = Number(holder);
    if (Number.isInteger(holderPid) && holderPid > 0 && holderPid !== pid && stillRuns(holderPid, startedAt, startTimeOf)) {
      throw new StartFailure(`npm start is already running on this database (pid ${holderPid}): stop it first, or give this one its own with WAYMARK_PG_DIR and WAYMARK_PG_PORT`);
    }
    fs.writeFileSync(file, mine);
  }
  return () => {
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8").trim() === mine) fs.rmSync(file, { force: true });
  };
}

/** Whether the process that wrote a lock still runs: its id is alive and, where both are known, started when the lock says. */
function stillRuns(pid: number, startedAt: string | undefined, startTimeOf: Claimant["startTimeOf"]): boolean {
  if (!isAlive(pid)) return false;
  const startedNow = startedAt ? startTimeOf(pid) : null;
  return startedNow === null || startedNow === startedAt;
}
