// The first import of every entry point that loads lib/'s server modules. Without ./outside-next.mjs
// they would stop on "server-only" with a message about Client Components; this says what to run.
if (!(globalThis as { waymarkOutsideNext?: boolean }).waymarkOutsideNext) {
  console.error("[waymark] run this through npm (npm start, npm run worker, …), or give node/tsx --import ./scripts/support/outside-next.mjs");
  process.exit(1);
}

export {};
