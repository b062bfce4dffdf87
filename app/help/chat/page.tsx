import type { Metadata } from "next";
import Link from "@/components/link";
import { currentPrincipal } from "@/lib/auth/principal";
import { supportContact } from "@/lib/config/public";
import { chatAvailability, chatAvailabilityText } from "@/lib/contacts/chat-hours";
import { StartChatForm } from "./start-chat-form";

export const metadata: Metadata = { title: "Chat with us" };
// Whether chat is open now, and who is asking, are read per request.
export const dynamic = "force-dynamic";

export default async function ChatPage() {
  const principal = await currentPrincipal();
  const { phone, phoneHref } = supportContact();
  return (
    <div className="narrow stack">
      <h1>Chat with us</h1>
      <p data-testid="chat-hours">{chatAvailabilityText(chatAvailability(new Date()))}</p>
      {principal?.role === "CUSTOMER" ? (
        <section className="card stack">
          <p className="muted">The advisor sees where you were in the portal, so you do not need to start from the beginning.</p>
          <StartChatForm />
        </section>
      ) : principal ? null : (
        <p className="card">
          <Link href="/signin?callbackUrl=%2Fhelp%2Fchat">Sign in</Link> so the advisor sees your orders, or call us on <a href={phoneHref}>{phone}</a>.
        </p>
      )}
    </div>
  );
}
