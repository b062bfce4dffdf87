// Loaded with `--import` by every Node process that runs lib/ outside Next.js (npm start, the web
// front, the worker, seed, migrate, the PostHog funnels sync, benchmarks). Playwright loads specs
// through require(), which this hook does not reach, so the few lib/ modules the specs import
// (the database client and adapter, trail store and abandonment, for e2e/journeys.spec.ts) carry no marker.
// Server modules carry `import "server-only"`, which Next.js resolves to an empty module on the
// server and refuses in a browser bundle; plain Node would load the package's throwing entry, so
// these processes resolve it to the same empty module Next.js uses. Nothing else is resolved here.
import { register } from "node:module";

register("./outside-next-hooks.mjs", import.meta.url);
globalThis.waymarkOutsideNext = true;
