// What the Content-Security-Policy must allow by hash because no per-request nonce can reach it:
// the inline scripts of each page prerendered at build time (its HTML is the same for everyone, so
// it carries no nonce), the stylesheet the root layout writes into every page
// (app/inline-stylesheet.tsx; its text is read from the prerendered pages, which carry it as every
// page does) and the stylesheets Next.js inlines as <style> elements
// (experimental.inlineCss). React writes all of a page's inlined stylesheets as one <style>
// element without the nonce (their texts one after the other: for an insights page the global
// sheet, then the insights one), and its client router inserts single sheets again without a
// nonce on client-side navigations, so both the single sheets and each page's combination are
// allowed by hash. Framework-free; lib/http/page-policy.ts uses it.
//
// A prerendered page exists in several versions: the file `next build` wrote, and each copy Next.js
// renders again when the page turns stale (see prerenderedScripts). All are ours; the policy allows
// the scripts of each.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

/** A CSP hash-source for exactly this text (what a browser hashes: an element's content as written). */
export function sha256Source(text: string): string {
  return `'sha256-${crypto.createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

// A <script> element without src. React escapes "</script" inside the payload it writes, so the
// first closing tag ends the element.
const INLINE_SCRIPT = /<script\b(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/gi;

/** The hash-sources of a page's inline scripts, each once. */
export function inlineScriptHashes(html: string): string[] {
  return [...new Set(Array.from(html.matchAll(INLINE_SCRIPT), (match) => sha256Source(match[1])))];
}

// A <style> element; none of our stylesheets contains "</style" (lib/style/stylesheet-loader.test.ts).
const INLINE_STYLE = /<style\b[^>]*>([\s\S]*?)<\/style>/gi;

export type BuildOutput = {
  /** Every built stylesheet, every page's inlined stylesheets together as the <style> element React writes them in, and the prerendered pages' own <style> elements. */
  styleHashes: string[];
  /** The paths served as prerendered HTML. */
  prerenderedPages: ReadonlySet<string>;
  /** Whether a path is answered by a route handler (route.ts) rather than a page. */
  isRouteHandler: (pathname: string) => boolean;
};

// Only what is read here; Next.js writes more. A route without an HTML file (a static route
// handler) is not a page.
const prerenderManifestSchema = z.object({ routes: z.record(z.string(), z.object({ routeType: z.string().optional() })) });

/** The file Next.js writes a prerendered path to: "/" is index.html, "/signin" signin.html. */
function prerenderedHtmlFile(distDir: string, route: string): string {
  return path.join(distDir, "server", "app", `${route === "/" ? "/index" : route}.html`);
}

function cssFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((entry) => entry.isFile() && entry.name.endsWith(".css")).map((entry) => path.join(entry.parentPath, entry.name));
}

// Only what is read of the build's .meta file beside a prerendered page: where the route cache keeps its copy.
const pageMetaSchema = z.object({ routeCache: z.object({ key: z.string().startsWith("/route-cache/") }) });

/** The route cache's copy of a prerendered path (named by the build beside the page), or null without one. */
function routeCacheHtmlFile(distDir: string, route: string): string | null {
  try {
    const meta = pageMetaSchema.parse(JSON.parse(fs.readFileSync(prerenderedHtmlFile(distDir, route).replace(/\.html$/, ".meta"), "utf8")));
    return path.join(distDir, "server", `${meta.routeCache.key}.html`);
  } catch {
    return null;
  }
}

function scriptHashesOfFile(file: string): string[] {
  return fs.existsSync(file) ? inlineScriptHashes(fs.readFileSync(file, "utf8")) : [];
}

/** Which version of a file is on disk now (Next.js replaces its cache files by rename). */
function versionOf(file: string | null): string {
  if (!file) return "";
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat ? `${stat.ino}:${stat.mtimeMs}` : "";
}

/**
 * The hash-sources of the inline scripts of every version of a prerendered page this server may
 * send: the build's file, then each version its route cache holds. Next.js serves a copy of the
 * build's file, but renders the page again (its prefetch hints filled in, so one inline script
 * differs) if it ever turns stale: `revalidatePath("/", "layout")` would do that to every page under
 * the root layout, so our actions use refresh() instead (a test keeps it so). Should it happen, the
 * hashes of every version seen are kept for the life of the process (all are ours); there is still
 * a moment when Next.js sends the new version before its file is written and seen here. Per
 * request this costs one stat of the route cache's file.
 */
export function prerenderedScripts(distDir: string): (route: string) => string[] {
  const pages = new Map<string, { cacheFile: string | null; cacheVersion: string; hashes: Set<string> }>();
  return (route) => {
    let page = pages.get(route);
    if (!page) {
      page = { cacheFile: routeCacheHtmlFile(distDir, route), cacheVersion: "", hashes: new Set(scriptHashesOfFile(prerenderedHtmlFile(distDir, route))) };
      pages.set(route, page);
    }
    const version = versionOf(page.cacheFile);
    if (version !== page.cacheVersion && page.cacheFile) {
      page.cacheVersion = version;
      for (const hash of scriptHashesOfFile(page.cacheFile)) page.hashes.add(hash);
    }
    return [...page.hashes];
  };
}

// Only what is read of a route's client reference manifest: the stylesheets of each of its
// segments (layouts, then the page), each list complete and in the order React writes them.
const clientManifestSchema = z.object({
  entryCSSFiles: z.record(z.string(), z.array(z.object({ path: z.string(), inlined: z.boolean().optional(), content: z.string().optional() }))),
});
const ERROR_BOUNDARY_SEGMENT = /\/(global-)?error$/;
const CLIENT_MANIFEST_ASSIGNMENT = /^globalThis\.__RSC_MANIFEST\[[^\n]*?\] = (\{.*\});?$/m;

/** The texts of the <style> elements React writes for each segment's inlined stylesheets together. */
function combinedInlinedStyles(distDir: string): string[] {
  const serverDir = path.join(distDir, "server");
  if (!fs.existsSync(serverDir)) return [];
  const manifests = fs
    .readdirSync(serverDir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith("_client-reference-manifest.js"))
    .map((entry) => path.join(entry.parentPath, entry.name));
  const combined = new Set<string>();
  for (const file of manifests) {
    const assignment = CLIENT_MANIFEST_ASSIGNMENT.exec(fs.readFileSync(file, "utf8"));
    if (!assignment) continue;
    const { entryCSSFiles } = clientManifestSchema.parse(JSON.parse(assignment[1]));
    // React writes the sheets of the segments on the way down (root layout, root template, the
    // layouts below, the page) together, each once, in that order; a segment's list may or may not
    // repeat its parents' sheets. Every prefix of the way down is a page someone may be shown.
    // Error boundaries' sheets are not part of it: they come only with the boundary, on the client.
    const written = new Map<string, string>();
    for (const [segment, sheets] of Object.entries(entryCSSFiles)) {
      if (ERROR_BOUNDARY_SEGMENT.test(segment)) continue;
      for (const sheet of sheets) if (sheet.inlined && sheet.content !== undefined && !written.has(sheet.path)) written.set(sheet.path, sheet.content);
      if (written.size > 1) combined.add([...written.values()].join(""));
    }
  }
  return [...combined];
}

// Only what is read of the build's app routes: each route's source file ("/returns/photos/route",
// "/(public)/signin/page") and the path it serves ("/returns/photos", "/signin").
const appRoutesManifestSchema = z.record(z.string(), z.string());

/** A route's path pattern as a regular expression: "[id]" one segment, "[...path]" one or more, "[[...path]]" none or more. */
export function routePattern(route: string): RegExp {
  const source = route
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      if (/^\[\[\.\.\.[^\]]+\]\]$/.test(segment)) return "(?:/[^/]+)*";
      if (/^\[\.\.\.[^\]]+\]$/.test(segment)) return "(?:/[^/]+)+";
      if (/^\[[^\]]+\]$/.test(segment)) return "/[^/]+";
      return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
    })
    .join("");
  return new RegExp(`^${source || "/"}/?$`);
}

function routeHandlerMatcher(distDir: string): (pathname: string) => boolean {
  const manifestFile = path.join(distDir, "app-path-routes-manifest.json");
  if (!fs.existsSync(manifestFile)) return () => false;
  const routes = appRoutesManifestSchema.parse(JSON.parse(fs.readFileSync(manifestFile, "utf8")));
  const patterns = Object.entries(routes)
    .filter(([source]) => source.endsWith("/route"))
    .map(([, route]) => routePattern(route));
  return (pathname) => patterns.some((pattern) => pattern.test(pathname));
}

/** Reads a finished build; an absent build (next dev) has nothing prerendered, no built CSS and no known route handlers. */
export function readBuildOutput(distDir: string): BuildOutput {
  const manifestFile = path.join(distDir, "prerender-manifest.json");
  const prerenderedPages = new Set<string>();
  if (fs.existsSync(manifestFile)) {
    const { routes } = prerenderManifestSchema.parse(JSON.parse(fs.readFileSync(manifestFile, "utf8")));
    for (const [route, entry] of Object.entries(routes)) if (entry.routeType !== "route" && fs.existsSync(prerenderedHtmlFile(distDir, route))) prerenderedPages.add(route);
  }
  const singleSheets = cssFiles(path.join(distDir, "static")).sort().map((file) => fs.readFileSync(file, "utf8"));
  const pageStyles = [...prerenderedPages].flatMap((route) => Array.from(fs.readFileSync(prerenderedHtmlFile(distDir, route), "utf8").matchAll(INLINE_STYLE), (match) => match[1]));
  const styleHashes = [...new Set([...singleSheets, ...combinedInlinedStyles(distDir), ...pageStyles].map(sha256Source))];
  return { styleHashes, prerenderedPages, isRouteHandler: routeHandlerMatcher(distDir) };
}
