// What the Content-Security-Policy must allow by hash because no nonce reaches it: the stylesheets
// Next.js inlines into each page as <style> elements (experimental.inlineCss). It writes them with
// the request's nonce, but its client router inserts the same <style> again without one on
// client-side navigations. Framework-free; proxy.ts reads it once per process.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** A CSP hash-source for exactly this text (what a browser hashes: an element's content as written). */
export function sha256Source(text: string): string {
  return `'sha256-${crypto.createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

/** Every stylesheet of a finished build, as the <style> element Next.js inlines it into; none without a build (next dev). */
export function builtStyleHashes(distDir: string): string[] {
  const dir = path.join(distDir, "static");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".css"))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
    .map((file) => sha256Source(fs.readFileSync(file, "utf8")));
}
