import Link from "@/components/link";

export default function NotFound() {
  return (
    <div className="narrow stack">
      <h1>Page not found</h1>
      <p className="muted">This page does not exist, or it is not yours to see.</p>
      <p>
        <Link href="/" className="button">Go to your overview</Link>
      </p>
      <p className="muted">
        Followed a link from an email? Your <Link href="/orders">orders</Link> and <Link href="/returns">returns</Link> list everything you can open, and the <Link href="/help">help centre</Link> is there if something is missing.
      </p>
    </div>
  );
}
