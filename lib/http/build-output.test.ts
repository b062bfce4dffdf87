import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { builtStyleHashes, sha256Source } from "./build-output";

const dist = fs.mkdtempSync(path.join(os.tmpdir(), "waymark-build-output-"));
afterAll(() => fs.rmSync(dist, { recursive: true, force: true }));

function write(file: string, text: string) {
  fs.mkdirSync(path.dirname(path.join(dist, file)), { recursive: true });
  fs.writeFileSync(path.join(dist, file), text);
}

/** What a browser computes for a <style> element's text (CSP3 hash-source). */
const browserHash = (text: string) => `'sha256-${crypto.createHash("sha256").update(Buffer.from(text, "utf8")).digest("base64")}'`;

describe("build output", () => {
  it("hashes text as a browser does, beyond ASCII too", () => {
    expect(sha256Source('.a::before{content:"é"}')).toBe(browserHash('.a::before{content:"é"}'));
  });

  it("hashes every built stylesheet, wherever the bundler put it, and nothing else", () => {
    write("static/chunks/x.css", "body{color:red}");
    write("static/css/deeper/y.css", ".a{}");
    write("static/chunks/z.js", "not a stylesheet");
    expect(builtStyleHashes(dist).sort()).toEqual([browserHash("body{color:red}"), browserHash(".a{}")].sort());
  });

  it("finds nothing in a folder without a build (next dev)", () => {
    expect(builtStyleHashes(path.join(dist, "nothing-here"))).toEqual([]);
  });
});
