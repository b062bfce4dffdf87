import Link from "@/components/link";

export function BackToAccount() {
  return (
    <p className="back-link">
      <Link href="/account">← Your account</Link>
    </p>
  );
}
