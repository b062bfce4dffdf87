import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { inlineScriptHashes, prerenderedScripts, readBuildOutput, routePattern, sha256Source } from "./build-output";

const dist = fs.mkdtempSync(path.join(os.tmpdir(), "waymark-build-output-"));
afterAll(() => fs.rmSync(dist, { recursive: true, force: true }));

function write(file: string, text: string) {
  fs.mkdirSync(path.dirname(path.join(dist, file)), { recursive: true });
  fs.writeFileSync(path.join(dist, file), text);
}

/** What a browser computes for a <script> or <style> element's text (CSP3 hash-source). */
const browserHash = (text: string) => `'sha256-${crypto.createHash("sha256").update(Buffer.from(text, "utf8")).digest("base64")}'`;

describe("build hashes", () => {
  it("hashes each inline script of a page exactly as written, and no script that has a src", () => {
    const first = 'self.__next_f.push([1,"caf\\u00e9 \\u003c/script>"])';
    const second = "(self.__next_s=self.__next_s||[]).push([0,{}])";
    const html = `<html><head><script src="/_next/static/chunks/a.js" async=""></script><script id="_R_">${first}</script></head><body><script>${second}</script><script>${first}</script><script\nsrc="/b.js"></script></body></html>`;
    expect(inlineScriptHashes(html)).toEqual([browserHash(first), browserHash(second)]);
    expect(sha256Source("é")).toBe(browserHash("é"));
  });

  it("reads the prerendered pages and built stylesheets of a build, and skips what has no HTML", () => {
    write("prerender-manifest.json", JSON.stringify({ version: 4, routes: { "/signin": { routeType: "page" }, "/": { routeType: "page" }, "/robots.txt": { routeType: "route" }, "/gone": { routeType: "page" } } }));
    write("server/app/signin.html", "<script>one()</script>");
    write("server/app/index.html", "<script>two()</script>");
    write("server/app/robots.txt.html", "");
    write("static/chunks/x.css", "body{color:red}");
    write("static/css/deeper/y.css", ".a{}");
    write("static/chunks/z.js", "not a stylesheet");
    const { styleHashes, prerenderedPages } = readBuildOutput(dist);
    expect([...prerenderedPages]).toEqual(["/signin", "/"]);
    expect(styleHashes.sort()).toEqual([browserHash("body{color:red}"), browserHash(".a{}")].sort());
  });

  it("allows the stylesheet the prerendered pages carry, which every page carries (the root layout writes it)", () => {
    const built = fs.mkdtempSync(path.join(os.tmpdir(), "waymark-build-page-style-"));
    const page = (file: string, html: string) => {
      fs.mkdirSync(path.dirname(path.join(built, file)), { recursive: true });
      fs.writeFileSync(path.join(built, file), html);
    };
    page("prerender-manifest.json", JSON.stringify({ version: 4, routes: { "/signin": { routeType: "page" }, "/signup": { routeType: "page" } } }));
    page("server/app/signin.html", "<html><head><style>:root{--brand:#2b4acb}</style></head><body><style >.notice{}</style></body></html>");
    page("server/app/signup.html", "<html><head><style>:root{--brand:#2b4acb}</style></head></html>");
    try {
      expect(readBuildOutput(built).styleHashes.sort()).toEqual([browserHash(":root{--brand:#2b4acb}"), browserHash(".notice{}")].sort());
    } finally {
      fs.rmSync(built, { recursive: true, force: true });
    }
  });

  it("tells the paths a route handler answers from the pages, by the build's own list of routes", () => {
    write("app-path-routes-manifest.json", JSON.stringify({ "/(public)/signin/page": "/signin", "/returns/photos/route": "/returns/photos", "/unsubscribe/[token]/route": "/unsubscribe/[token]", "/ingest/[...path]/route": "/ingest/[...path]", "/orders/[number]/page": "/orders/[number]" }));
    const { isRouteHandler } = readBuildOutput(dist);
    expect(["/returns/photos", "/unsubscribe/abc.def", "/ingest/flags/", "/ingest/i/v0/e/"].filter(isRouteHandler)).toEqual(["/returns/photos", "/unsubscribe/abc.def", "/ingest/flags/", "/ingest/i/v0/e/"]);
    expect(["/signin", "/orders/WM-1001", "/returns/photos/x", "/unsubscribe", "/ingest", "/"].filter(isRouteHandler)).toEqual([]);
    expect(routePattern("/docs/[[...slug]]").test("/docs")).toBe(true);
    expect(routePattern("/docs/[[...slug]]").test("/docs/a/b")).toBe(true);
    expect(routePattern("/a.b/[id]").test("/aXb/1")).toBe(false);
  });

  it("allows a page's inlined stylesheets together, as React writes them in one <style> element", () => {
    const built = fs.mkdtempSync(path.join(os.tmpdir(), "waymark-build-styles-"));
    const manifest = (route: string, entries: Record<string, { path: string; inlined?: boolean; content?: string }[]>) =>
      `globalThis.__RSC_MANIFEST = globalThis.__RSC_MANIFEST || {};\nglobalThis.__RSC_MANIFEST[${JSON.stringify(route)}] = ${JSON.stringify({ clientModules: {}, entryCSSFiles: entries })};\n`;
    const global = { path: "static/chunks/g.css", inlined: true, content: "body{margin:0}" };
    const insights = { path: "static/chunks/i.css", inlined: true, content: ".insights{}" };
    const linked = { path: "static/chunks/l.css", inlined: false };
    const errorPage = { path: "static/chunks/e.css", inlined: true, content: ".error{}" };
    const account = { path: "static/chunks/a.css", inlined: true, content: ".account{}" };
    fs.mkdirSync(path.join(built, "server/app/insights/journeys/[type]"), { recursive: true });
    fs.mkdirSync(path.join(built, "server/app/account"), { recursive: true });
    // Each segment's list repeating its parents' sheets,
    fs.writeFileSync(
      path.join(built, "server/app/insights/journeys/[type]/page_client-reference-manifest.js"),
      manifest("/insights/journeys/[type]/page", { "[project]/app/layout": [global], "[project]/app/insights/layout": [global, insights, linked] }),
    );
    // or only its own (the root's sheet in the root template); the error boundaries' never written with them.
    fs.writeFileSync(
      path.join(built, "server/app/account/page_client-reference-manifest.js"),
      manifest("/account/page", { "[project]/app/layout": [], "[project]/app/error": [errorPage], "[project]/app/template": [global], "[project]/app/global-error": [errorPage], "[project]/app/account/layout": [account], "[project]/app/account/page": [account] }),
    );
    try {
      expect(readBuildOutput(built).styleHashes.sort()).toEqual([browserHash("body{margin:0}.insights{}"), browserHash("body{margin:0}.account{}")].sort());
    } finally {
      fs.rmSync(built, { recursive: true, force: true });
    }
  });

  it("allows the scripts of the build's version of a page and of every version its route cache has held since", () => {
    const cached = "server/route-cache/APP_PAGE/abc123/$/signup.html";
    write("server/app/signup.html", "<script>built()</script>");
    write("server/app/signup.meta", JSON.stringify({ routeCache: { key: "/route-cache/APP_PAGE/abc123/$/signup", owner: { kind: "APP_PAGE" } } }));
    const scriptsOf = prerenderedScripts(dist);
    expect(scriptsOf("/signup")).toEqual([browserHash("built()")]);
    write(cached, "<script>built()</script>");
    expect(scriptsOf("/signup")).toEqual([browserHash("built()")]);
    // Turned stale (revalidatePath("/", "layout")), rendered again with its prefetch hints: the old version may still be sent meanwhile.
    fs.rmSync(path.join(dist, cached));
    write(cached, "<script>rendered()</script>");
    expect(scriptsOf("/signup")).toEqual([browserHash("built()"), browserHash("rendered()")]);
    write("server/app/nometa.html", "<script>alone()</script>");
    expect(scriptsOf("/nometa")).toEqual([browserHash("alone()")]);
  });

  it("nothing of ours revalidates the root layout, which would turn the prerendered pages stale", () => {
    // Next.js would render them again with other inline scripts than their policy's hashes; for a
    // moment it can send that version before the proxy sees it, and sign-in's scripts are refused.
    const sources = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !e.name.includes(".test.")).map((e) => path.join(e.parentPath, e.name));
    const code = (file: string) => fs.readFileSync(file, "utf8").split("\n").filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line));
    const offenders = ["app", "lib", "components"].flatMap(sources).filter((file) => code(file).some((line) => /revalidatePath\(\s*["']\/["']\s*,\s*["']layout["']/.test(line)));
    expect(offenders).toEqual([]);
  });

  it("finds nothing in a folder without a build (next dev)", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "waymark-no-build-"));
    const { styleHashes, prerenderedPages, isRouteHandler } = readBuildOutput(empty);
    expect({ styleHashes, prerenderedPages }).toEqual({ styleHashes: [], prerenderedPages: new Set() });
    expect(isRouteHandler("/api/health")).toBe(false);
    fs.rmSync(empty, { recursive: true });
  });
});
