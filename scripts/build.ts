// `npm run build`: next build, recording the source fingerprint that `npm start` checks.
// `--typechecked`: `npm run typecheck` has just passed on these sources (as in `npm test`), so next
// build skips its own type check of the same files.
import { parseArgs } from "node:util";
import { buildIfChanged } from "./support/build";

const { values } = parseArgs({ options: { typechecked: { type: "boolean", default: false } } });
const { built, ms } = buildIfChanged(undefined, { typechecked: values.typechecked });
console.log(built ? `[waymark] built in ${(ms / 1000).toFixed(1)} s` : "[waymark] build is up to date");
