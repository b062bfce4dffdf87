// The portal's HTTP front, started by scripts/start.ts in place of `next start`: it serves the
// production build through Next's request handler, after deriving each client's address from the
// socket (and from X-Forwarded-For only through TRUST_PROXY_HOPS proxies of our own) into headers
// the app believes (lib/http/client-address.ts). Usage: tsx --import ./scripts/support/outside-next.mjs scripts/serve.ts --host 0.0.0.0 --port 3000
import "./support/require-outside-next";
import http from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { envOrExit } from "../lib/config/env";
import { withClientAddress } from "../lib/http/client-address";
import { DEV_MAILBOX_WARNING } from "../lib/mail/dev-mailbox";

const { values } = parseArgs({ options: { host: { type: "string", default: "0.0.0.0" }, port: { type: "string", default: "3000" } } });
const port = Number(values.port);
const config = envOrExit("[waymark]");
const hops = config.TRUST_PROXY_HOPS;

const app = next({ dev: false, dir: process.cwd(), hostname: values.host, port });
const handle = app.getRequestHandler();
await app.prepare();

if (config.WAYMARK_DEV_MAILBOX) console.warn(`[waymark] WARNING ${DEV_MAILBOX_WARNING}`);
if (hops > 0) console.log(`[waymark] client addresses from X-Forwarded-For through ${hops} trusted proxy hop(s)`);

http.createServer(withClientAddress(hops, (request, response) => void handle(request, response))).listen(port, values.host);
