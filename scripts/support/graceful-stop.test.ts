import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { stopGracefully } from "./graceful-stop";

let server: http.Server | undefined;
afterEach(() => server?.closeAllConnections());

/** A server whose one route answers only when the test says so. */
async function serverWithHeldAnswer(): Promise<{ url: string; received: Promise<void>; answer: () => void }> {
  let answer = () => {};
  let received = () => {};
  const receivedPromise = new Promise<void>((resolve) => (received = resolve));
  server = http.createServer((_request, response) => {
    received();
    answer = () => response.end("stored");
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, received: receivedPromise, answer: () => answer() };
}

describe("stopping the web server", () => {
  it("answers the request in flight, refuses new ones, and then stops", async () => {
    const { url, received, answer } = await serverWithHeldAnswer();
    const inFlight = fetch(url, { method: "POST", body: "batch" });
    await received;
    let stopped = false;
    const stopping = stopGracefully(server!, 60_000).then(() => (stopped = true));
    await expect(fetch(url)).rejects.toThrow();
    expect(stopped).toBe(false);
    answer();
    expect(await (await inFlight).text()).toBe("stored");
    await stopping;
    expect(stopped).toBe(true);
  });

  it("cuts a request still running after the grace period, so the process ends", async () => {
    const { url, received } = await serverWithHeldAnswer();
    const hanging = fetch(url).catch((error: unknown) => error);
    await received;
    await stopGracefully(server!, 10);
    expect(await hanging).toBeInstanceOf(Error);
  });
});
