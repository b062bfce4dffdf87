import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startLink, type Link } from "./link";

const opened: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
});

async function server(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  opened.push({ close: () => new Promise<void>((resolve) => s.close(() => resolve())) });
  return `http://127.0.0.1:${(s.address() as net.AddressInfo).port}`;
}

async function link(target: string, rttMs: number): Promise<Link> {
  const l = await startLink(target, rttMs);
  opened.push(l);
  return l;
}

describe("the benchmark's link", () => {
  it("carries a request and its answer intact, a round trip later than loopback", async () => {
    const body = "x".repeat(200_000) + "end";
    const target = await server((request, response) => {
      let got = "";
      request.on("data", (chunk) => (got += chunk));
      request.on("end", () => response.end(`${request.method} ${request.url} ${got.length} ${body}`));
    });
    const { url } = await link(target, 40);
    expect(url).not.toBe(target);
    const started = performance.now();
    const answer = await fetch(`${url}/page?x=1`, { method: "POST", body: "y".repeat(70_000) });
    const text = await answer.text();
    // A lower bound only: the bytes crossed the link once each way (never sooner than its round trip).
    expect(performance.now() - started).toBeGreaterThanOrEqual(39);
    expect(text).toBe(`POST /page?x=1 70000 ${body}`);
  });

  it("serves connections side by side and lets go of them when closed", async () => {
    const target = await server((request, response) => response.end(request.url));
    const l = await startLink(target, 20);
    const answers = await Promise.all(["/a", "/b", "/c"].map((path) => fetch(`${l.url}${path}`, { headers: { connection: "close" } }).then((r) => r.text())));
    expect(answers).toEqual(["/a", "/b", "/c"]);
    await l.close();
    await expect(fetch(`${l.url}/a`)).rejects.toThrow();
  });

  it("is loopback itself at 0 ms", async () => {
    const target = await server((_, response) => response.end());
    expect((await link(target, 0)).url).toBe(target);
  });
});
