import type { Metadata } from "next";
import Link from "@/components/link";
import { requireStaff } from "@/lib/auth/principal";
import { contactableCustomer, findCustomers } from "@/lib/contacts/contacts";
import { db } from "@/lib/db/client";
import { LogContactForm } from "./log-contact-form";

export const metadata: Metadata = { title: "Log an inbound contact" };

export default async function LogContactPage({ searchParams }: { searchParams: Promise<{ q?: string; customer?: string }> }) {
  await requireStaff("AGENT");
  const { q = "", customer } = await searchParams;
  const results = q ? await findCustomers(db(), q.slice(0, 100)) : [];
  const chosen = customer ? await contactableCustomer(db(), customer) : null;
  return (
    <div className="stack">
      <h1>Log an inbound contact</h1>
      <form className="card stack" role="search" method="get">
        <div className="field">
          <label htmlFor="customer-search">Find the customer</label>
          <span className="hint" id="customer-search-hint">Email, name or order number (at least 3 characters).</span>
          <input id="customer-search" name="q" defaultValue={q} aria-describedby="customer-search-hint" />
        </div>
        <button className="button secondary" type="submit">Search</button>
      </form>
      {q && results.length === 0 ? <p className="muted">No customer matches “{q}”.</p> : null}
      {results.length ? (
        <ul className="list card" aria-label="Matching customers">
          {results.map((c) => (
            <li key={c.id} className="row">
              <span>
                {c.name} <span className="muted">{c.email}</span>
              </span>
              <Link href={`/agent/contacts?customer=${c.id}`}>Log a contact for {c.name}</Link>
            </li>
          ))}
        </ul>
      ) : null}
      {chosen ? <LogContactForm customerId={chosen.id} customerName={chosen.name} /> : null}
    </div>
  );
}
