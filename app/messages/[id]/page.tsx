import { notFound, redirect } from "next/navigation";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { openMessage } from "@/lib/notify/message-centre";

export const dynamic = "force-dynamic";

const ID = /^[a-z0-9]{20,40}$/;

// A message's link in the message centre: marks it read and goes to the page it is about. Signed
// out, it asks for sign-in and comes back here; another customer's message, or none, is the
// portal's own "Page not found" (a route handler answered a bare "Not found" with no page around it).
export default async function OpenMessage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requireCustomer();
  const path = ID.test(id) ? await openMessage(db(), principal.userId, id) : null;
  if (!path) notFound();
  redirect(path);
}
