// `next build` only when the sources changed since the last build, so `npm start` after `npm test`
// (or a second `npm start`) does not rebuild for nothing.
import crypto from "node:crypto";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { env, inheritedEnvironment } from "../../lib/config/env";

const SOURCE_ROOTS = ["app", "components", "lib", "prisma", "public", "next.config.ts", "package-lock.json", "tsconfig.json", "proxy.ts"];

function sourceFingerprint(): string {
  const hash = crypto.createHash("sha256");
  const visit = (entry: string) => {
    if (!fs.existsSync(entry) || entry.includes("generated")) return;
    const stat = fs.statSync(entry);
    if (stat.isDirectory()) for (const child of fs.readdirSync(entry).sort()) visit(path.join(entry, child));
    else hash.update(entry).update(fs.readFileSync(entry));
  };
  SOURCE_ROOTS.forEach(visit);
  // Build-time public settings change the client bundle too.
  for (const [k, v] of Object.entries(inheritedEnvironment()).sort()) if (k.startsWith("NEXT_PUBLIC_")) hash.update(`${k}=${v}`);
  return hash.digest("hex");
}

export function buildIfChanged(): { built: boolean; ms: number } {
  const started = Date.now();
  const distDir = env().NEXT_DIST_DIR;
  const fingerprintFile = `${distDir}/waymark-source-fingerprint`;
  const fingerprint = sourceFingerprint();
  const previous = fs.existsSync(fingerprintFile) ? fs.readFileSync(fingerprintFile, "utf8") : "";
  if (previous === fingerprint && fs.existsSync(`${distDir}/BUILD_ID`)) return { built: false, ms: 0 };
  console.log("[waymark] building the portal (next build)…");
  const result = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    stdio: "inherit",
    env: { ...inheritedEnvironment(), NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed");
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
