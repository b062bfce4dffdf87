// What the fuzz test (tests/integration/fuzz.test.ts) walks and what it throws at it. Everything is
// found from the code itself, so a new route handler, server action or form field is covered
// without touching the test: route handlers are app/**/route.ts, server actions are the exports of
// every module whose first statement is "use server", field names are read from forms and handlers.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
const SOURCE_DIRS = ["app", "lib", "components"];

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" || entry.name === "node_modules" ? [] : walk(full);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const sourceFiles = () => SOURCE_DIRS.flatMap((dir) => walk(path.join(ROOT, dir)));

export type RouteFile = {
  /** Path relative to the repository, e.g. app/orders/[number]/pay/route.ts. */
  file: string;
  /** The URL path's segments, route groups left out: ["returns", "[number]", "photos", "[lineId]"]. */
  segments: string[];
};

export function routeHandlerFiles(): RouteFile[] {
  return walk(path.join(ROOT, "app"))
    .filter((file) => path.basename(file) === "route.ts")
    .map((file) => {
      const relative = path.relative(ROOT, file);
      const segments = path.dirname(relative).split(path.sep).slice(1).filter((s) => !/^\(.*\)$/.test(s));
      return { file: relative, segments };
    })
    .sort((a, b) => a.file.localeCompare(b.file));
}

export function serverActionFiles(): string[] {
  return sourceFiles()
    .filter((file) => /^\s*(\/\/[^\n]*\n\s*)*["']use server["']/.test(fs.readFileSync(file, "utf8")))
    .map((file) => path.relative(ROOT, file))
    .sort();
}

/** Every form field and query parameter name the code reads or renders. */
export function fieldNames(): string[] {
  const names = new Set<string>();
  const patterns = [/\bname="([A-Za-z_][\w.-]{0,60})"/g, /\.(?:get|getAll|has)\("([A-Za-z_][\w.-]{0,60})"\)/g, /\bname=\{`([A-Za-z_][\w-]{0,60})/g];
  for (const file of sourceFiles()) {
    const text = fs.readFileSync(file, "utf8");
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) names.add(match[1]);
  }
  return [...names].sort();
}

/** A small deterministic generator (mulberry32): the same corpus on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomUnicode(random: () => number, length: number): string {
  const ranges: [number, number][] = [[0x20, 0x7e], [0xa0, 0x24f], [0x370, 0x3ff], [0x590, 0x6ff], [0x4e00, 0x4fff], [0x1f300, 0x1f6ff], [0x200b, 0x200f], [0x202a, 0x202e], [0xfff0, 0xffff]];
  let text = "";
  for (let i = 0; i < length; i++) {
    const [low, high] = ranges[Math.floor(random() * ranges.length)];
    text += String.fromCodePoint(low + Math.floor(random() * (high - low + 1)));
  }
  return text;
}

export type HostileValue = { label: string; value: string };

/** Text no field of ours should be harmed by: NUL bytes, overlong, broken or tricky Unicode, numbers out of range, injections. */
export function hostileStrings(seed: number): HostileValue[] {
  const random = seededRandom(seed);
  return [
    { label: "NUL", value: "\u0000" },
    { label: "NUL inside", value: "WM-1\u0000' --" },
    { label: "overlong", value: "x".repeat(20_000) },
    { label: "lone surrogate", value: "a\uD800b" },
    { label: "bidi and zero-width", value: "\u202Egnp.exe\u200B\uFEFF" },
    { label: "huge integer", value: "9".repeat(400) },
    { label: "float overflow", value: "1e309" },
    { label: "negative", value: "-2147483649" },
    { label: "NaN", value: "NaN" },
    { label: "SQL", value: "' OR 1=1; DROP TABLE \"User\"; --" },
    { label: "markup", value: '"><script>alert(1)</script>' },
    { label: "path traversal", value: "../../../../etc/passwd" },
    { label: "percent", value: "%FF%C0%AF%00" },
    { label: "JSON", value: '{"__proto__":{"admin":true}}' },
    { label: "empty", value: "" },
    { label: "random unicode", value: randomUnicode(random, 64) },
    { label: "random unicode (long)", value: randomUnicode(random, 2_000) },
  ];
}

/**
 * Hostile text inside JSON, for fields that carry JSON (the return form's lines): JSON's own
 * escapes ("\u0000", "\ud800") pass a check of the raw field and become a NUL byte or a lone
 * surrogate only once parsed. One record keys every field name the code reads, so a schema that
 * reads any of them as text meets the hostile value there.
 */
export function hostileJson(fields: string[]): HostileValue[] {
  const record = (escaped: string) => `[{${fields.map((name) => `${JSON.stringify(name)}:"x${escaped}"`).join(",")}}]`;
  return [
    { label: "NUL inside JSON", value: record("\\u0000") },
    { label: "lone surrogate inside JSON", value: record("\\ud800") },
  ];
}
