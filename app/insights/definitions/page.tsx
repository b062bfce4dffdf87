import type { Metadata } from "next";
import Link from "@/components/link";
import { TableScroll } from "@/components/table-scroll";
import { requireStaff } from "@/lib/auth/principal";
import { env } from "@/lib/config/env";
import { NEW_CUSTOMER_DAYS } from "@/lib/insights/facts";
import { journeyLabel } from "@/lib/trail/labels";
import { FUNNEL_CONVERSION_WINDOW_DAYS, JOURNEY_TYPES, funnelEvents } from "@/lib/trail/journeys";

export const metadata: Metadata = { title: "How we count · Insights" };

export default async function Definitions() {
  await requireStaff("ANALYST");
  const window = FUNNEL_CONVERSION_WINDOW_DAYS;
  return (
    <div className="stack prose">
      <h1>How we count</h1>
      <p>
        The funnels here are PostHog&apos;s ordered funnels with the same steps and the same {window}-day conversion window (the ones <code>npm run posthog:funnels</code> creates),
        computed from the portal&apos;s own copy of the trail, so both show the same numbers.
      </p>

      <h2>The funnel</h2>
      <ul>
        <li><strong>Steps.</strong> Each step&apos;s view, in the order the journey declares them, then the completion of the last step.</li>
        <li><strong>Attempts, not people.</strong> Every attempt at a task (one journey id) counts once. A customer who tries twice is two attempts, as PostHog counts them (aggregated by <code>journey_id</code>).</li>
        <li><strong>Ordered.</strong> An attempt enters with its step-1 view. It counts at a later position only after it counted at the one before (at the same moment or later). Other events in between do not matter.</li>
        <li><strong>Conversion window.</strong> A position counts only up to {window} days after the step-1 view it builds on, that moment included.</li>
        <li><strong>Repeated steps count once.</strong> Viewing a step three times reaches it once. Viewing step 1 again starts a fresh chain with a fresh window; the attempt counts at the furthest position any chain reached.</li>
        <li><strong>Out of order does not advance.</strong> A step-3 view before any step-2 view counts for nothing; a step-3 view after step 2 counts.</li>
        <li><strong>Not entered.</strong> Attempts that never viewed step 1 (a deep link into a later step) are left out of the funnel, as in PostHog; the journey page says how many there were.</li>
        <li><strong>Days.</strong> Each attempt counts on the UTC day of the step-1 view its counted chain started with. PostHog also ignores events after the end of its date range, so an attempt started just before midnight on the last day of a range may count as further along here.</li>
      </ul>

      <h2>How the others ended</h2>
      <ul>
        <li><strong>Exited</strong>: left the task for a channel (phone, chat, email, social, help centre) through a contact-us touchpoint.</li>
        <li><strong>Abandoned</strong>: no activity for 30 minutes (<code>ABANDON_AFTER_MINUTES</code>). <strong>Failed</strong>: abandoned right after an error.</li>
        <li><strong>Completed, later steps not recorded</strong>: the task was completed, but the views of the steps after this one were never recorded (or came after the window).</li>
      </ul>

      <h2>Customers and devices</h2>
      <ul>
        <li><strong>New</strong> customers created their account less than {NEW_CUSTOMER_DAYS} days before the attempt started; <strong>returning</strong> ones earlier. <strong>Not signed in</strong>: the attempt was never joined to an account (for example a sign-up given up).</li>
        <li>The device is the one the attempt started on.</li>
      </ul>

      <h2>Time to complete</h2>
      <p>
        Times are measured along the chain the funnel counted, in whole seconds, from one position to the next, and for the whole task from the step-1 view to the completion. They are kept in
        bands about a tenth wide; the median and 90th percentile shown are the bands holding the exact values.
      </p>

      <h2>Downloads</h2>
      <p>
        Each table&apos;s CSV holds the numbers its page shows: percentages to one decimal place (their column&apos;s heading ends in (%)), averages and rates per 100 to one decimal place
        (two below 1), times in whole seconds, and a band as the seconds at its upper end.
      </p>

      <h2>Errors</h2>
      <p>Failed steps: a business rule that refused (for example an expired return window) or input that did not validate, each with its machine-readable code, at the step where it happened.</p>

      <h2>Exit follow-through</h2>
      <p>
        An agent logging an inbound contact links it to the customer&apos;s latest exited, abandoned or failed attempt of the last {env().CONTACT_LINK_WINDOW_HOURS} hours. An exit to phone, chat, email or social
        is <em>followed</em> when a contact through that same channel was linked to it within those hours; after the help centre (self-service, no contact channel), an abandonment or a failure, a
        contact through any channel counts. <em>Need ended</em>: the agent recorded that the contact ended the customer&apos;s need.
      </p>

      <h2>Freshness</h2>
      <p>
        Every stored trail event, change of an attempt&apos;s outcome or customer, and linked contact queues its attempt (database triggers); a background job recomputes the queued attempts from
        their raw events every {env().INSIGHTS_REFRESH_INTERVAL_MS / 1000} seconds and moves the daily totals by the difference. The pages read those totals, so they answer quickly however long the trail grows,
        and a test holds them to the numbers computed directly from the raw events. Each page says when changes are still waiting to be counted.
      </p>

      <h2>Privacy</h2>
      <p>Customers appear by their opaque analytics id only. No analyst page shows names, emails, addresses or free text.</p>

      <h2>The funnel events of each journey</h2>
      <TableScroll className="card" label="Funnel events per journey">
        <table>
          <caption className="sr-only">Funnel events per journey, in order</caption>
          <thead>
            <tr><th scope="col">Journey</th><th scope="col">Funnel events, in order</th></tr>
          </thead>
          <tbody>
            {JOURNEY_TYPES.map((type) => (
              <tr key={type}>
                <th scope="row"><Link href={`/insights/journeys/${type}`}>{journeyLabel(type)}</Link></th>
                <td><code>{funnelEvents(type).join(" → ")}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}
