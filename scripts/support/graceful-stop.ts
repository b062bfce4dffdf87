// Stopping the web server without dropping what is in flight: a deploy or `npm start`'s Ctrl-C
// sends SIGTERM, and a customer's form post or a tab's trail batch that arrived a moment before is
// still answered (and stored). New connections are refused at once; idle keep-alive connections
// are closed so they do not hold the process; whatever is still running after the grace period is
// cut, because an orchestrator kills the process soon after anyway.
import type http from "node:http";

export function stopGracefully(server: http.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    cut.unref();
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}
