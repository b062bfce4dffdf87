// One `npm start` per embedded database. A second one (another PORT, the same data directory)
// joined the first one's PostgreSQL and ran a second web server and worker beside it, until the
// first was stopped and took the database down under it: the embedded server belongs to the start
// that launched it. Several web servers and workers on one database is how a deployment scales,
// on a PostgreSQL no start owns (DATABASE_URL), where no lock is taken.
import fs from "node:fs";
import path from "node:path";
import { isAlive } from "../../lib/db/process-alive";
import { StartFailure } from "./start-failure";

/** The file naming the start that holds `dataDir`, beside it as its password file is. */
export const startLockFile = (dataDir: string) => `${dataDir}.start-pid`;

/**
 * Claims `dataDir` for this start, or refuses in one line while another start holds it. A lock
 * left by a start that ended without releasing it (killed) is taken over. Returns the release.
 */
export function claimEmbeddedDatabase(dataDir: string, pid = process.pid): () => void {
  const file = startLockFile(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, String(pid), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const holder = Number(fs.readFileSync(file, "utf8").trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== pid && isAlive(holder)) {
      throw new StartFailure(`npm start is already running on this database (pid ${holder}): stop it first, or give this one its own with WAYMARK_PG_DIR and WAYMARK_PG_PORT`);
    }
    fs.writeFileSync(file, String(pid));
  }
  return () => {
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8").trim() === String(pid)) fs.rmSync(file, { force: true });
  };
}
