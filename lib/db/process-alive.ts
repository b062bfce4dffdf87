// Whether a process still runs, from its id (signal 0 only asks). Apart from ./embedded.ts so the
// launcher checks who holds the embedded database without loading the server module itself.

/** Whether process `pid` runs (one of another user's counts: it exists, we may only not signal it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
