import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { APP_ROUTES } from "./app-routes";

// What Next.js serves: every folder holding a page or a route handler, with route groups `(x)`
// dropped and private `_x` folders and parallel-route slots `@x` skipped, as Next.js does.
function routesUnder(dir: string, segments: string[] = []): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name.startsWith("_") || entry.name.startsWith("@")) continue;
      const isGroup = /^\(.*\)$/.test(entry.name);
      found.push(...routesUnder(path.join(dir, entry.name), isGroup ? segments : [...segments, entry.name]));
    } else if (/^(page|route)\.(tsx?|jsx?|mdx?)$/.test(entry.name)) {
      found.push(`/${segments.join("/")}`);
    }
  }
  return found;
}

describe("APP_ROUTES", () => {
  it("lists exactly the routes under app/, so every forwarded URL maps onto a template", () => {
    const actual = [...new Set(routesUnder(path.resolve("app")))].sort();
    expect([...APP_ROUTES].sort()).toEqual(actual);
  });
});
