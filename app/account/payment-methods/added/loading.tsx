import { PageLoading } from "@/components/loading";

export default function Loading() {
  return <PageLoading label="Checking your card with our payment provider…" />;
}
