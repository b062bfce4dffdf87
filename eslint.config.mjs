// Lint rules run by `npm test` before anything else, with zero warnings allowed: Next.js's own
// rules (core web vitals, React hooks), typescript-eslint's type-aware checks for promises nobody
// awaits, the layering rule that shared code never reaches into the routes, and configuration read
// only through lib/config/env.ts.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import tseslint from "typescript-eslint";

const NO_APP_IMPORTS = { group: ["@/app/*", "**/app/*"], message: "components/ and lib/ must not import from app/: move the shared code into lib/." };
const POSTHOG_SDKS = [
  { name: "posthog-node", message: "Reach PostHog through lib/integrations/posthog.ts, the server's one PostHog module." },
  { name: "posthog-js", message: "Reach PostHog through lib/trail/browser.ts, the browser's one PostHog module." },
];
const PAGE_LINKS = { name: "next/link", message: "Use Link from @/components/link: the portal's links are not prefetched as they scroll into view (one request per link per page view)." };

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
    // PostHog is reached from one server module and one browser module.
    files: ["app/**", "scripts/**"],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [...POSTHOG_SDKS, PAGE_LINKS] }] },
  },
  {
    // Shared code is used by the routes, never the other way round.
    files: ["components/**", "lib/**"],
    rules: { "no-restricted-imports": ["error", { paths: [...POSTHOG_SDKS, PAGE_LINKS], patterns: [NO_APP_IMPORTS] }] },
  },
  {
    // The one place next/link is imported.
    files: ["components/link.tsx"],
    rules: { "no-restricted-imports": ["error", { paths: POSTHOG_SDKS, patterns: [NO_APP_IMPORTS] }] },
  },
  {
    // The two PostHog seams themselves, and tests that speak to the PostHog stand-in as an SDK would.
    files: ["lib/integrations/posthog.ts", "lib/trail/browser.ts", "components/**/*.test.ts", "lib/**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [NO_APP_IMPORTS] }] },
  },
  {
    // Configuration is declared and parsed in one place (lib/config/env.ts: env(), publicUrl()).
    // NODE_ENV stays readable: Next.js inlines it at build time. Tests may read their own variables.
    // Also: a form's action is bound to its id by the page, never by the client form itself.
    files: ["app/**", "lib/**", "components/**", "scripts/**", "proxy.ts"],
    ignores: ["lib/config/**", "**/*.test.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='process'][property.name='env']:not([parent.property.name='NODE_ENV'])",
          message: "Read configuration with env() from lib/config/env.ts (declare new variables there), not process.env.",
        },
        {
          // Rides in this block: a second no-restricted-syntax for the same files would replace the one above.
          selector: "CallExpression[callee.name='useActionState'] > CallExpression[callee.property.name='bind']",
          message: "Bind the action in the page (a server component) and pass it down (BoundFormAction in lib/http/form-state.ts): bound here, a form sent without JavaScript and refused is never answered.",
        },
      ],
    },
  },
  {
    // Money flows one way: returns ask payments for refunds; payments never call back into returns
    // (a settled refund is picked up by the returns module itself).
    files: ["lib/payments/**"],
    rules: {
      "no-restricted-imports": ["error", { paths: POSTHOG_SDKS, patterns: [NO_APP_IMPORTS, { group: ["@/lib/returns/*"], message: "payments must not depend on returns: let returns read the refund's state." }] }],
    },
  },
]);
