// Who may watch the live view: agents and analysts. Everyone else gets the same 404 as any staff page.
import "server-only";
import { currentPrincipal, type Principal } from "@/lib/auth/principal";

export async function frontlineViewer(): Promise<Principal | null> {
  const principal = await currentPrincipal();
  return principal && (principal.role === "AGENT" || principal.role === "ANALYST") ? principal : null;
}
