// `npm run build`: next build, recording the source fingerprint that `npm start` checks.
import { buildIfChanged } from "./support/build";

const { built, ms } = buildIfChanged();
console.log(built ? `[waymark] built in ${(ms / 1000).toFixed(1)} s` : "[waymark] build is up to date");
