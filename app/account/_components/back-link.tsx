import Link from "@/components/link";

/** The way up from an account page: to the account, or from one address to the address book it belongs to. */
export function BackToAccount({ to = "account" }: { to?: "account" | "addresses" }) {
  return (
    <p className="back-link">
      {to === "addresses" ? <Link href="/account/addresses">← Addresses</Link> : <Link href="/account">← Your account</Link>}
    </p>
  );
}
