import { PageLoading } from "@/components/loading";

export default function Loading() {
  return <PageLoading label="Loading your card…" />;
}
