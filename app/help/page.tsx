import type { Metadata } from "next";
import Link from "@/components/link";
import { supportContact } from "@/lib/config/public";
import { db } from "@/lib/db/client";
import { cardArrivalWithin, moneyArrival } from "@/lib/returns/policy";
import { activePolicy } from "@/lib/returns/policy-store";
import { CARRIER_CONFIRMS_WITHIN, REVIEW_WITHIN } from "@/lib/returns/status";

export const metadata: Metadata = { title: "Help centre" };
// The refund answer reads the store's current policy, so the page is drawn per request.
export const dynamic = "force-dynamic";

// `within`: the policy's card arrival time, as the pages and messages about a refund say it. The
// return article's waits are the ones the return's own page gives (it promised the label "straight
// away", where the return page says "usually within minutes"). `storeCredit`: when a return's store
// credit comes, as the return form says it (this said "available immediately", the form "as soon
// as your return reaches our warehouse").
const articles = (within: string, storeCredit: string) => [
  { title: "Where is my order?", body: "Open the order in your order history: its tracking timeline shows every scan and the expected delivery date. If the date has passed by more than five days, report it as not received from the same page." },
  { title: "How do I return something?", body: `Start a return from the order or from the Returns page. Each item shows whether it can be returned and why not. Once you submit it, your label, drop-off code or pickup booking appears on the return's page as soon as the carrier confirms it, ${CARRIER_CONFIRMS_WITHIN}, and we let you know. If our team needs to check the return first, that takes a little longer: ${REVIEW_WITHIN}.` },
  { title: "When will I get my refund?", body: `Refunds to your card are issued when we receive the parcel and usually show ${within}. ${storeCredit}` },
  { title: "How do I change my delivery address?", body: "As long as the order has not shipped, open it and choose Change delivery address." },
];

export default async function HelpPage() {
  const support = supportContact();
  const { rules } = await activePolicy(db());
  const within = cardArrivalWithin(rules.refund.cardArrivalBusinessDays);
  return (
    <div className="stack">
      <h1>Help centre</h1>
      {articles(within, moneyArrival(rules, "STORE_CREDIT", false)).map((article) => (
        <section key={article.title} className="card">
          <h2>{article.title}</h2>
          <p>{article.body}</p>
        </section>
      ))}
      <p>
        <Link href="/cases">Your help requests</Link> · <Link href="/help/chat">Chat with us</Link> · <a href={support.phoneHref}>Call {support.phone}</a> · <a href={support.emailHref}>{support.email}</a>
      </p>
    </div>
  );
}
