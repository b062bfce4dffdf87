"use client";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { IDLE, type FormState } from "@/lib/http/form-state";

type Save = (previous: FormState, formData: FormData) => Promise<FormState>;

/**
 * Rendered only while the signed-in customer has no time zone: tells the server the browser's,
 * once, then re-renders the page so its dates are in the customer's zone from then on.
 */
export function TimeZoneReporter({ save }: { save: Save }) {
  const router = useRouter();
  useEffect(() => {
    const formData = new FormData();
    formData.set("timeZone", Intl.DateTimeFormat().resolvedOptions().timeZone);
    void save(IDLE, formData).then((state) => {
      if (state.status === "ok") router.refresh();
    });
  }, [save, router]);
  return null;
}
