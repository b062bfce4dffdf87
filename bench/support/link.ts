// A network link between the browser and a server on this machine: every byte crosses it `rttMs / 2`
// later in each direction, as on a phone's line, where a request found in a page needs a round trip
// after the page arrived. Lighthouse's simulation reads which requests a paint waited for from an
// unthrottled load; over loopback a page's async scripts arrive within a millisecond of its HTML and
// run before its first frame is presented, so they are counted as needed for that paint on one run
// and not on the next (docs/performance.md). Both apps are measured through a link of their own.
import net from "node:net";

export type Link = { url: string; close: () => Promise<void> };

/** A link of `rttMs` to `target` (an origin); with 0, `target` itself. */
export async function startLink(target: string, rttMs: number): Promise<Link> {
  if (rttMs <= 0) return { url: target, close: async () => {} };
  const { hostname, port } = new URL(target);
  const oneWay = rttMs / 2;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => [client, upstream].forEach((s) => s.destroy()));
    }
    const carry = (from: net.Socket, to: net.Socket) => {
      from.on("data", (chunk) => setTimeout(() => to.write(chunk), oneWay));
      from.on("end", () => setTimeout(() => to.end(), oneWay));
    };
    carry(client, upstream);
    carry(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port: linkPort } = server.address() as net.AddressInfo;
  const url = new URL(target);
  url.port = String(linkPort);
  return {
    url: url.origin,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
