"use client";
// A photo for a return line: checked in the browser first (so nobody waits for a 20 MB upload to
// be refused), uploaded at once, and checked again by the server, which has the final word.
import { useId, useState } from "react";
import { MAX_PHOTO_BYTES, PHOTO_CONTENT_TYPE, PHOTO_PROBLEM_MESSAGE } from "@/lib/returns/photo-rules";
import { currentJourneyId } from "@/lib/trail/browser";

const TYPES: string[] = Object.values(PHOTO_CONTENT_TYPE);

type Props = {
  id: string;
  token: string | null;
  onChange(token: string | null): void;
  onUploading(busy: boolean): void;
  onRefused(errorCode: string): void;
};

export function PhotoField({ id, token, onChange, onUploading, onRefused }: Props) {
  const [status, setStatus] = useState<{ kind: "idle" | "busy" | "ok" | "error"; message?: string }>(token ? { kind: "ok" } : { kind: "idle" });
  const messageId = useId();

  async function upload(file: File) {
    const problem = file.size > MAX_PHOTO_BYTES ? "photo_too_large" : !TYPES.includes(file.type) ? "photo_wrong_type" : null;
    if (problem) {
      onChange(null);
      onRefused(problem);
      return setStatus({ kind: "error", message: PHOTO_PROBLEM_MESSAGE[problem] });
    }
    setStatus({ kind: "busy" });
    onUploading(true);
    try {
      const body = new FormData();
      body.set("photo", file);
      const response = await fetch(`/returns/photos?journeyId=${encodeURIComponent(currentJourneyId("return", "items"))}`, { method: "POST", body });
      const answer = (await response.json().catch(() => ({}))) as { token?: string; message?: string };
      if (response.ok && answer.token) {
        onChange(answer.token);
        setStatus({ kind: "ok" });
      } else {
        onChange(null);
        setStatus({ kind: "error", message: answer.message ?? "The photo could not be uploaded. Try again." });
      }
    } catch {
      setStatus({ kind: "error", message: "The photo could not be uploaded: check your connection and try again." });
    } finally {
      onUploading(false);
    }
  }

  return (
    <div className="field">
      <label htmlFor={id}>Add a photo (optional)</label>
      <span className="hint" id={`${messageId}-hint`}>A JPEG, PNG or WebP photo of up to 5 MB helps us sort it out faster.</span>
      <input
        id={id}
        type="file"
        accept={TYPES.join(",")}
        aria-describedby={`${messageId}-hint ${messageId}`}
        aria-invalid={status.kind === "error" ? true : undefined}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void upload(file);
          else onChange(null);
        }}
      />
      <p id={messageId} role="status" aria-live="polite" className={status.kind === "error" ? "field-error" : "muted small"}>
        {status.kind === "busy" ? "Uploading your photo…" : status.kind === "ok" ? "Photo added." : status.kind === "error" ? status.message : ""}
      </p>
    </div>
  );
}
