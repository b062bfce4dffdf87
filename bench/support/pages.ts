// Page figures from Lighthouse's default mobile run (simulated throttling, a mid-range phone on a
// slow 4G line), with Debian's Chromium: what the browser downloads (compressed script bytes and
// requests, analytics loaded after the page is interactive included: Lighthouse waits for the
// network to go quiet), LCP and total blocking time. Pages are visited in turn, run after run, so a
// busy moment of the machine is shared out instead of landing on one page. Beside each page's
// figures it prints what its LCP is: the element, and whether it paints with the first paint (the
// simulated FCP beside the LCP; the observed, unthrottled phases: time to first byte, the load of
// an LCP image, and the render delay after both, which a late-arriving element makes long).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import lighthouse from "lighthouse";
import { chromium, type BrowserContext } from "@playwright/test";
import { median } from "./figures";

export type PageTarget = { name: string; url: string; cookie?: string };
export type PageFigures = { scriptKb: number; requests: number; lcpMs: number; tbtMs: number };

/** What one run saw of the page's largest paint; `phases` are observed (unthrottled), in ms. */
type LcpDetail = { element: string; fcpMs: number; phases: Record<string, number> };

type Summary = { resourceType: string; requestCount: number; transferSize: number };
type Breakdown = { items: ({ type: "table"; items: { subpart: string; duration: number }[] } | { type: "node"; selector?: string; nodeLabel?: string })[] };

function lcpDetail(audits: Record<string, { numericValue?: number; details?: unknown }>): LcpDetail {
  const parts = (audits["lcp-breakdown-insight"]?.details as Breakdown | undefined)?.items ?? [];
  const node = parts.find((part) => part.type === "node");
  const table = parts.find((part) => part.type === "table");
  return {
    element: node ? `${node.selector ?? "?"} "${(node.nodeLabel ?? "").slice(0, 60)}"` : "(not found)",
    fcpMs: audits["first-contentful-paint"].numericValue ?? Number.NaN,
    phases: Object.fromEntries((table?.items ?? []).map((item) => [item.subpart, item.duration])),
  };
}

async function once(port: number, target: PageTarget): Promise<PageFigures & { lcp: LcpDetail }> {
  const result = await lighthouse(target.url, {
    port,
    onlyCategories: ["performance"],
    logLevel: "error",
    output: "json",
  });
  if (!result || result.lhr.runtimeError) throw new Error(`Lighthouse could not measure ${target.url}: ${result?.lhr.runtimeError?.message ?? "no result"}`);
  const audits = result.lhr.audits;
  const summary = (audits["resource-summary"].details as unknown as { items: Summary[] }).items;
  const of = (type: string) => summary.find((item) => item.resourceType === type);
  // A signed-in page that answered with the sign-in form would be measured as the wrong page.
  if (target.cookie && new URL(result.lhr.finalDisplayedUrl).pathname.startsWith("/signin")) throw new Error(`${target.url} is not signed in`);
  return {
    scriptKb: (of("script")?.transferSize ?? 0) / 1000,
    requests: of("total")?.requestCount ?? 0,
    lcpMs: audits["largest-contentful-paint"].numericValue ?? Number.NaN,
    tbtMs: audits["total-blocking-time"].numericValue ?? Number.NaN,
    lcp: lcpDetail(audits),
  };
}

const PHASES = { timeToFirstByte: "TTFB", resourceLoadDelay: "load delay", resourceLoadDuration: "load", elementRenderDelay: "render delay" } as const;

/** The LCP elements the runs saw (a page whose element changes from run to run shows each), and the phases' medians. */
function describeLcp(runs: LcpDetail[]): string {
  const elements = new Map<string, number>();
  for (const run of runs) elements.set(run.element, (elements.get(run.element) ?? 0) + 1);
  const phases = Object.entries(PHASES)
    .filter(([key]) => runs.some((run) => key in run.phases))
    .map(([key, label]) => `${label} ${Math.round(median(runs.map((run) => run.phases[key] ?? 0)))}`);
  const seen = [...elements].map(([element, count]) => (runs.length > 1 ? `${element} ×${count}` : element)).join(", ");
  return `LCP element ${seen}; FCP ${Math.round(median(runs.map((run) => run.fcpMs)))} ms; observed ${phases.join(", ")} ms`;
}

/**
 * The visitor's cookies in the browser's own jar (an extra Cookie header would be replaced by the
 * jar as soon as a page sets any cookie), and no one else's.
 */
async function becomeVisitor(context: BrowserContext, target: PageTarget) {
  await context.clearCookies();
  if (!target.cookie) return;
  const url = new URL(target.url).origin;
  await context.addCookies(target.cookie.split("; ").map((pair) => ({ name: pair.slice(0, pair.indexOf("=")), value: pair.slice(pair.indexOf("=") + 1), url })));
}

/** The median of `runs` Lighthouse runs per page. */
export async function measurePages(targets: PageTarget[], options: { runs: number; chromiumPath: string; debuggingPort: number; log?: (line: string) => void }): Promise<Map<string, PageFigures>> {
  // The default context (a persistent one), which is the one Lighthouse opens its tabs in.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "waymark-bench-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: options.chromiumPath, args: [`--remote-debugging-port=${options.debuggingPort}`] });
  const samples = new Map<string, (PageFigures & { lcp: LcpDetail })[]>(targets.map((t) => [t.name, []]));
  try {
    for (let run = 1; run <= options.runs; run++) {
      for (const target of targets) {
        await becomeVisitor(context, target);
        samples.get(target.name)!.push(await once(options.debuggingPort, target));
      }
      options.log?.(`Lighthouse run ${run}/${options.runs} done`);
    }
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const figures = new Map<string, PageFigures>();
  for (const [name, runs] of samples) {
    const page = { scriptKb: median(runs.map((r) => r.scriptKb)), requests: median(runs.map((r) => r.requests)), lcpMs: median(runs.map((r) => r.lcpMs)), tbtMs: median(runs.map((r) => r.tbtMs)) };
    figures.set(name, page);
    // Each page on its own line: the table gives ranges, a change is read page by page. Every run's
    // LCP beside the median: the simulated LCP has two modes (docs/performance.md, *What each signed-in page's
    // largest paint is*), and which one a median landed in is read there.
    const lcpRuns = runs.map((r) => Math.round(r.lcpMs)).sort((a, b) => a - b);
    options.log?.(`${name}: ${page.scriptKb.toFixed(1)} kB JS, ${page.requests} requests, LCP ${Math.round(page.lcpMs)} ms (runs ${lcpRuns.join(", ")}), TBT ${Math.round(page.tbtMs)} ms`);
    options.log?.(`  ${describeLcp(runs.map((r) => r.lcp))}`);
  }
  return figures;
}
