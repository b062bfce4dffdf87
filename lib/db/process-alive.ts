// Whether a process still runs, from its id (signal 0 only asks). Apart from ./embedded.ts so the
// launcher checks who holds the embedded database without loading the server module itself.
import fs from "node:fs";

/** Whether process `pid` runs (one of another user's counts: it exists, we may only not signal it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * When process `pid` started (clock ticks after boot, field 22 of /proc/<pid>/stat), which tells it
 * apart from a later process given the same id (after a container restart, ids start again). Null
 * where there is no /proc to ask, or no such process.
 */
export function processStartTime(pid: number): string | null {
  try {
    return startTimeFromStat(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return null;
  }
}

/** Field 22 of a /proc/<pid>/stat line; the command name (field 2) is in parentheses and may hold spaces and parentheses itself. */
export function startTimeFromStat(stat: string): string | null {
  const fields = stat.slice(stat.lastIndexOf(")") + 1).trim().split(/\s+/);
  // fields[0] is field 3 (the state).
  return fields[19] ?? null;
}
