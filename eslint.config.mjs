// Lint rules run by `npm test` before anything else, with zero warnings allowed: Next.js's own
// rules (core web vitals, React hooks), typescript-eslint's type-aware checks for promises nobody
// awaits, and the layering rule that shared code never reaches into the routes.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import tseslint from "typescript-eslint";

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  globalIgnores([".next/**", ".next-*/**", ".data/**", "lib/generated/**", "e2e/.artifacts/**", "next-env.d.ts", "bench/baseline/**"]),
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    // Shared code is used by the routes, never the other way round.
    files: ["components/**", "lib/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/app/*", "**/app/*"], message: "components/ and lib/ must not import from app/: move the shared code into lib/." }] }],
    },
  },
  {
    // Money flows one way: returns ask payments for refunds; payments never call back into returns
    // (a settled refund is picked up by the returns module itself).
    files: ["lib/payments/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/app/*", "**/app/*"], message: "lib/ must not import from app/." }, { group: ["@/lib/returns/*"], message: "payments must not depend on returns: let returns read the refund's state." }] }],
    },
  },
]);
