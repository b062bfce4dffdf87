// Requests per second under 20 concurrent connections (autocannon), Waymark's pages and the bare
// baseline's in turn, round after round: noise from the machine's other work hits both sides.
import autocannon from "autocannon";
import { median } from "./figures";

export type LoadTarget = { name: string; url: string; cookie?: string };

async function once(target: LoadTarget, seconds: number, connections: number): Promise<number> {
  const result = await autocannon({ url: target.url, connections, duration: seconds, headers: target.cookie ? { cookie: target.cookie } : {} });
  // A redirect to the sign-in page or an error page is fast and would flatter the figure.
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${target.url}: ${result.non2xx} non-2xx answers, ${result.errors} errors under load`);
  return result.requests.average;
}

/** Median req/s of each target over `rounds` interleaved rounds, after a short warm-up of each. */
export async function measureThroughput(targets: LoadTarget[], options: { rounds: number; seconds: number; connections: number; log?: (line: string) => void }): Promise<Map<string, number>> {
  for (const target of targets) await once(target, 2, options.connections);
  const samples = new Map<string, number[]>(targets.map((t) => [t.name, []]));
  for (let round = 1; round <= options.rounds; round++) {
    for (const target of targets) samples.get(target.name)!.push(await once(target, options.seconds, options.connections));
    options.log?.(`load round ${round}/${options.rounds} done`);
  }
  return new Map([...samples].map(([name, values]) => [name, median(values)]));
}

/** The HTML bytes of one answer (uncompressed, as the load rounds fetch it). */
async function htmlBytes(url: string, cookie?: string): Promise<number> {
  return (await (await fetch(url, { headers: cookie ? { cookie } : {} })).arrayBuffer()).byteLength;
}

/**
 * How many rows make the bare dynamic page (`?rows=N`) as large as the portal's page: its size grows
 * by the same bytes per row, so two sizes give the line. For a figure beside the verdict, not in it:
 * the yardstick stays the 25-row page.
 */
export async function bareRowsMatching(bareDynamicUrl: string, page: LoadTarget): Promise<{ rows: number; pageBytes: number; bareBytes: number }> {
  const pageBytes = await htmlBytes(page.url, page.cookie);
  const [small, large] = await Promise.all([htmlBytes(`${bareDynamicUrl}?rows=25`), htmlBytes(`${bareDynamicUrl}?rows=225`)]);
  const rows = Math.min(1000, Math.max(1, Math.round(25 + ((pageBytes - small) * 200) / (large - small))));
  return { rows, pageBytes, bareBytes: await htmlBytes(`${bareDynamicUrl}?rows=${rows}`) };
}
