// A ceiling on how many requests of one kind a process works on at once, for anonymous endpoints
// that hold a body while they work: each is capped, but hundreds in parallel (from as many
// addresses, each within its budget) would still add up to gigabytes. Beyond the ceiling a request
// is answered at once rather than queued, since a queue would hold their bodies all the same.

export type InFlightLimit = <T>(work: () => Promise<T>, whenFull: () => T) => Promise<T>;

export function inFlightLimit(ceiling: number): InFlightLimit {
  let running = 0;
  return async (work, whenFull) => {
    if (running >= ceiling) return whenFull();
    running++;
    try {
      return await work();
    } finally {
      running--;
    }
  };
}
