// The order or return the page a browser step was sent from is about, read from its address
// (`/orders/WM-209300/return` → order WM-209300). Kept with the step in the portal's own trail and
// never forwarded (PostHog sees the route template only): an agent's offer of help on the attempt
// opens a case about what the customer was looking at (lib/cases/subject.ts takes only their own).
import { routeTemplate } from "./url-scrub";

export type PageSubjectProperties = { order_number?: string; return_number?: string };

/** The properties that name them, which an account's deletion takes off its trail (lib/privacy/deletion.ts). */
export const PAGE_SUBJECT_KEYS = ["order_number", "return_number"] as const satisfies (keyof PageSubjectProperties)[];

// No order or return number is this long: anything longer is not one, and is not kept.
const MAX_NUMBER_LENGTH = 40;

export function pageSubjectOf(pathname: unknown): PageSubjectProperties {
  if (typeof pathname !== "string") return {};
  const path = pathname.split(/[?#;]/)[0];
  const [section, number] = path.split("/").filter(Boolean);
  // Most steps are on neither: only an order's or a return's page is matched against the routes.
  if ((section !== "orders" && section !== "returns") || !number || number.length > MAX_NUMBER_LENGTH) return {};
  const template = routeTemplate(path);
  if (template.startsWith("/orders/[number]")) return { order_number: number };
  if (template.startsWith("/returns/[number]")) return { return_number: number };
  return {};
}
