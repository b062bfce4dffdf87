// Wraps a server action so an unexpected failure reaches the customer as one calm message with a
// reference, and the detail only reaches the server log.
import crypto from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import type { FormState } from "./form-state";

export function safeAction<A extends unknown[]>(name: string, action: (...args: A) => Promise<FormState>) {
  return async (...args: A): Promise<FormState> => {
    try {
      return await action(...args);
    } catch (error) {
      unstable_rethrow(error);
      const reference = crypto.randomUUID().slice(0, 8);
      console.error(`[action:${name}] failed (ref ${reference})`, error);
      return { status: "error", message: `Something went wrong on our side and nothing was changed. Please try again in a moment (reference ${reference}).` };
    }
  };
}
