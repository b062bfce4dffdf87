import type { Metadata } from "next";

export const metadata: Metadata = { title: "Chat with us" };

export default function ChatPage() {
  return (
    <div className="narrow stack">
      <h1>Chat with us</h1>
      <p>An agent will join this chat shortly. Our chat is open every day from 8:00 to 20:00 (UK time).</p>
      <p className="muted">Tip: the agent sees where you were in the portal, so you do not need to start from the beginning.</p>
    </div>
  );
}
