import type { Metadata } from "next";
import Link from "@/components/link";
import { env } from "@/lib/config/env";

export const metadata: Metadata = { title: "Message us on social media" };
// The accounts are the server's configuration (SOCIAL_ACCOUNTS), read when the page is asked for, not when it was built.
export const dynamic = "force-dynamic";

export default function SocialPage() {
  const accounts = env().SOCIAL_ACCOUNTS;
  return (
    <div className="narrow stack">
      <h1>Message us on social media</h1>
      {accounts.length ? (
        <>
          <p>Send us a private message and we answer within a few hours, every day. Please keep order numbers and addresses out of public posts.</p>
          <ul className="list-plain stack" data-testid="social-accounts">
            {accounts.map((account) => (
              <li key={account.url}>
                {/* Opens in the same tab (the network's app, on a phone); noopener: the network's page gets no handle on ours. */}
                <a href={account.url} rel="noopener">{`${account.handle} on ${account.network}`}</a>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>We do not answer messages on social media at the moment. The <Link href="/help">help centre</Link> lists the other ways to reach us.</p>
      )}
    </div>
  );
}
