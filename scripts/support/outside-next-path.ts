import { fileURLToPath } from "node:url";

/** For `node --import`: what a process running lib/ outside Next.js loads first (see ./outside-next.mjs). */
export const OUTSIDE_NEXT = fileURLToPath(new URL("./outside-next.mjs", import.meta.url));
