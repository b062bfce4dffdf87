// `next build` only when the sources changed since the last build, so `npm start` after `npm test`
// (or a second `npm start`) does not rebuild for nothing.
import crypto from "node:crypto";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { env, inheritedEnvironment } from "../../lib/config/env";

const SOURCE_ROOTS = ["app", "components", "lib", "prisma", "public", "next.config.ts", "package-lock.json", "tsconfig.json", "proxy.ts"];

/** Another Next.js app than the portal (the benchmark's bare baseline): its folder and sources. */
export type NextApp = { cwd: string; roots: string[]; distDir: string; name: string };

const PORTAL = (): NextApp => ({ cwd: ".", roots: SOURCE_ROOTS, distDir: env().NEXT_DIST_DIR, name: "the portal" });

function sourceFingerprint(app: NextApp): string {
  const hash = crypto.createHash("sha256");
  const visit = (entry: string) => {
    const file = path.join(app.cwd, entry);
    if (!fs.existsSync(file) || entry.includes("generated")) return;
    const stat = fs.statSync(file);
    if (stat.isDirectory()) for (const child of fs.readdirSync(file).sort()) visit(path.join(entry, child));
    else hash.update(entry).update(fs.readFileSync(file));
  };
  app.roots.forEach(visit);
  // Build-time public settings change the client bundle too.
  for (const [k, v] of Object.entries(inheritedEnvironment()).sort()) if (k.startsWith("NEXT_PUBLIC_")) hash.update(`${k}=${v}`);
  return hash.digest("hex");
}

/** `typechecked`: the sources have just passed `npm run typecheck`, so next build skips its own check (WAYMARK_BUILD_TYPECHECKED). */
export function buildIfChanged(app: NextApp = PORTAL(), options: { typechecked?: boolean } = {}): { built: boolean; ms: number } {
  const started = Date.now();
  const distDir = path.join(app.cwd, app.distDir);
  const fingerprintFile = `${distDir}/waymark-source-fingerprint`;
  const fingerprint = sourceFingerprint(app);
  const previous = fs.existsSync(fingerprintFile) ? fs.readFileSync(fingerprintFile, "utf8") : "";
  if (previous === fingerprint && fs.existsSync(`${distDir}/BUILD_ID`)) return { built: false, ms: 0 };
  console.log(`[waymark] building ${app.name} (next build)…`);
  const result = spawnSync(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "build"], {
    cwd: app.cwd,
    stdio: "inherit",
    env: { ...inheritedEnvironment(), NEXT_TELEMETRY_DISABLED: "1", ...(options.typechecked ? { WAYMARK_BUILD_TYPECHECKED: "1" } : {}) },
  });
  if (result.status !== 0) throw new Error(`next build of ${app.name} failed: its output is above`);
  fs.writeFileSync(fingerprintFile, fingerprint);
  return { built: true, ms: Date.now() - started };
}

export function gitRevision(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}
