// A signed-in visitor's cookies, obtained the way the sign-in form gets them (next-auth's
// credentials callback), so the benchmark measures pages exactly as a customer receives them.
function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]);
}

export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesOf(csrf);
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/`, json: "true" }),
  });
  const session = cookiesOf(response).filter((cookie) => cookie.includes("session-token"));
  if (session.length === 0) throw new Error(`could not sign in as ${email} (HTTP ${response.status})`);
  const cookie = [...jar, ...session].join("; ");
  // Proof the cookie works: a signed-in page answers itself rather than redirecting to /signin.
  const check = await fetch(`${baseUrl}/account`, { redirect: "manual", headers: { cookie } });
  if (check.status !== 200) throw new Error(`signed in as ${email}, but /account answered ${check.status} ${check.headers.get("location") ?? ""}`);
  return cookie;
}
