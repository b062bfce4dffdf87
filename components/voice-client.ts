"use client";
// The browser's one way to send what a customer told us (lib/voice/voice.ts parses it): to the
// portal only, never to PostHog. `keepalive` lets it outlive a page being left for another channel.
import type { VoiceInput } from "@/lib/voice/voice";

type Sent = { [K in VoiceInput["kind"]]: Omit<Extract<VoiceInput, { kind: K }>, "comment"> & { comment?: string } }[VoiceInput["kind"]];

export async function sendVoice(answer: Sent): Promise<boolean> {
  try {
    const response = await fetch("/api/voice", { method: "POST", keepalive: true, headers: { "content-type": "application/json" }, body: JSON.stringify(answer) });
    return response.ok;
  } catch {
    return false;
  }
}
