// The demo's local inbox (/dev/mailbox) lists every email the portal queued, for every account,
// reset links included: whoever reads it can take any account. So it is off unless switched on with
// WAYMARK_DEV_MAILBOX=1, and even then it answers only requests made on this machine.
import "server-only";
import { env, type Config } from "@/lib/config/env";
import { isLocalRequest, type HeaderSource } from "@/lib/http/client-address";

export const DEV_MAILBOX_WARNING =
  "WAYMARK_DEV_MAILBOX=1: /dev/mailbox shows every email of every account (reset links too) to anyone using a browser on this machine. Use it only to try the demo; never set it on a shared or public server.";

export function mayShowDevMailbox(headers: HeaderSource, config: Config = env()): boolean {
  return config.WAYMARK_DEV_MAILBOX && isLocalRequest(headers);
}
