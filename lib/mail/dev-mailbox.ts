// The demo's local inbox (/dev/mailbox) lists every email the portal queued, for every account,
// reset links included: whoever reads it can take any account. So it is off unless switched on with
// WAYMARK_DEV_MAILBOX=1, and even then it answers only requests made on this machine.
import "server-only";
import { env, type Config } from "@/lib/config/env";
import { isLocalRequest, readHeader, type HeaderSource } from "@/lib/http/client-address";

export const DEV_MAILBOX_WARNING =
  "WAYMARK_DEV_MAILBOX=1: /dev/mailbox shows every email of every account (reset links too) to anyone using a browser on this machine. Use it only to try the demo; never set it on a shared or public server.";

// Only a name that always means this machine. A page on another site can point a name of its own
// at 127.0.0.1 (DNS rebinding) and read the mailbox as its own origin, from a browser on this
// machine: the socket is loopback, but the Host is that site's name.
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

export function mayShowDevMailbox(headers: HeaderSource, config: Config = env()): boolean {
  return config.WAYMARK_DEV_MAILBOX && isLocalRequest(headers) && LOOPBACK_HOST.test(readHeader(headers, "host") ?? "");
}
