import type { Metadata } from "next";

export const metadata: Metadata = { title: "Message us on social media" };

export default function SocialPage() {
  return (
    <div className="narrow stack">
      <h1>Message us on social media</h1>
      <p>Send us a private message at @waymarkhelp. We answer within a few hours, every day.</p>
    </div>
  );
}
