import { PageLoading } from "@/components/loading";

export default function Loading() {
  return <PageLoading label="Checking what you can return…" />;
}
