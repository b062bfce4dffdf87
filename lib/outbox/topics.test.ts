// Nothing may be queued on an outbox topic that no consumer delivers (the "notify.sms" queue once
// grew forever that way), and no consumer may wait on a topic nothing writes. Both lists are read
// from the code itself: every `topic:` written to the outbox (Prisma or SQL), and every topic
// handed to deliverDue, with constants and topic-building functions resolved from their
// declarations ("prefix:*" for a topic built per endpoint).
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const SCANNED = ["lib", "app", "scripts"];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" || entry.name === "node_modules" ? [] : sources(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const files = SCANNED.flatMap((dir) => sources(join(ROOT, dir))).map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, "utf8") }));
// The trail's PostHog copies are queued by a database function (trail_store).
const MIGRATIONS = join(ROOT, "prisma", "migrations");
const migrations = readdirSync(MIGRATIONS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => join(MIGRATIONS, entry.name, "migration.sql"))
  .map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, "utf8") }));
const everything = files.map((f) => f.text).join("\n");

/** The topic an expression stands for: a literal, a constant, or a function returning a template built on a constant. */
function resolve(expression: string): string {
  const trimmed = expression.trim();
  const literal = /^["'`]([^"'`$]+)["'`]$/.exec(trimmed);
  if (literal) return literal[1];
  const call = /^([A-Za-z_]\w*)\(/.exec(trimmed);
  if (call) {
    const body = new RegExp(`function ${call[1]}\\([^)]*\\)[^{]*\\{\\s*return \`([^\`]+)\``).exec(everything);
    if (!body) throw new Error(`cannot resolve the topic function ${call[1]}`);
    return body[1].replace(/\$\{(\w+)\}/g, (_, name: string) => (/^[A-Z][A-Z0-9_]+$/.test(name) ? resolve(name) : "*")).replace(/\*+$/, "*");
  }
  const constant = new RegExp(`const ${trimmed}\\s*=\\s*["']([^"']+)["']`).exec(everything);
  if (!constant) throw new Error(`cannot resolve the topic ${trimmed}`);
  return constant[1];
}

function collect(pattern: RegExp, where: (text: string) => boolean = () => true, from = files): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of from.filter((f) => where(f.text))) {
    for (const match of file.text.matchAll(pattern)) {
      const topic = resolve(match[1]);
      found.set(topic, [...(found.get(topic) ?? []), file.path]);
    }
  }
  return found;
}

const written = new Map([
  ...collect(/\btopic:\s*(["'][^"']+["']|[A-Z][A-Z0-9_]*\b|[a-z]\w*\([^)]*\))/g, (text) => /outboxMessage\.create/.test(text)),
  ...collect(/INSERT INTO "OutboxMessage"[\s\S]{0,300}?SELECT[^']*('[^']+')/g),
  // Inside a function body's E-string the quotes are doubled.
  ...collect(/INSERT INTO "OutboxMessage"[\s\S]{0,300}?SELECT[^']*'?('[^']+')/g, () => true, migrations),
]);
const consumed = collect(/(?<!function )deliverDue\(\s*[^,]+,\s*([^,]+),/g);

const covers = (pattern: string, topic: string) => (pattern.endsWith("*") ? topic.startsWith(pattern.slice(0, -1)) : pattern === topic);

describe("outbox topics", () => {
  it("are found in the code (the scan itself works)", () => {
    expect([...written.keys()]).toEqual(expect.arrayContaining(["posthog", "backoffice.event", "notify.email", "notify.sms"]));
    expect([...consumed.keys()]).toEqual(expect.arrayContaining(["posthog", "backoffice.event", "backoffice.delivery:*", "notify.sms"]));
  });

  it("each have a consumer, and each consumer has a producer", () => {
    const unconsumed = [...written.keys()].filter((topic) => ![...consumed.keys()].some((c) => covers(c, topic)));
    const unproduced = [...consumed.keys()].filter((topic) => ![...written.keys()].some((w) => covers(topic, w) || covers(w, topic)));
    expect({ unconsumed: unconsumed.map((t) => `${t} (written in ${written.get(t)!.join(", ")})`), unproduced }).toEqual({ unconsumed: [], unproduced: [] });
  });
});
