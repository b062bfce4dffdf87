import { BACKGROUND, DEMO, expect, SAME_ON_EVERY_VIEWPORT, signIn, test } from "./support/fixtures";
import { chooseNewPassword, newCustomer, SIGN_UP_SENT, SIGNED_UP, signUp } from "./support/customers";
import { orderNumbersOf, query, trailOf } from "./support/portal-db";
import { completed, expectTrailAgreement } from "./support/trail";

test("a new customer signs up through the emailed link, lands on the overview, and the sign-up journey is in the trail", async ({ page }) => {
  const { email } = await signUp(page, "Nova Newcomer", "signup");
  await expect(page.getByText("Nothing needs your attention right now.")).toBeVisible();
  await expect(page.getByText("No orders on their way.")).toBeVisible();

  await expect
    .poll(async () => (await trailOf(email, "signup")).map((e) => `${e.step}:${e.kind}:${e.source}`), BACKGROUND)
    .toEqual(SIGNED_UP);
});

test("sign-up with bad input explains each problem and creates nothing", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter your name.")).toBeVisible();
  await expect(page.getByText("Enter an email address like name@example.com.")).toBeVisible();
  await expect(page.getByText("Use at least 10 characters for your password.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");

  // An email that already has an account gets the answer any address gets (its owner is emailed
  // instead of a link: tests/integration/signup.test.ts), and no second account.
  await page.getByLabel("Name").fill("Ada Again");
  await page.getByLabel("Email").fill(DEMO.ada.email);
  await page.getByLabel("Password").fill("another-long-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("form-message")).toHaveText(SIGN_UP_SENT);
  const named = await query<{ count: string }>(`SELECT count(*) FROM "User" WHERE "name" = 'Ada Again'`);
  expect(Number(named[0].count)).toBe(0);
});

test("a customer signs in, sees orders in progress and what needs attention, and signs out", async ({ page, playwright }) => {
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await signIn(page, DEMO.ada.email, DEMO.ada.password);
  await expect(page.getByRole("heading", { name: "Hello, Ada" })).toBeVisible();
  await expect(page.getByTestId("orders-in-progress").getByRole("link").first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "Needs your attention" })).toBeVisible();
  await expect(page.getByText(/payment is due|This order is late/).first()).toBeVisible();

  // next-auth's own session endpoint, asked with this browser's cookie as it was before signing out.
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const sessionWith = async (header: string) => {
    const asked = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL, extraHTTPHeaders: { cookie: header } });
    const answer = (await (await asked.get("/api/auth/session")).json()) as { sessionId?: string };
    await asked.dispose();
    return answer;
  };
  expect((await sessionWith(cookie)).sessionId).toEqual(expect.any(String));
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByText("You are signed out.")).toBeVisible();
  // The old cookie still decodes, but its session is over: no session there either.
  expect(await sessionWith(cookie)).toEqual({});
  // The sign-in page, prerendered without the query, hydrates as it is (no error, no rebuild in the browser).
  await page.reload();
  await expect(page.getByText("You are signed out.")).toBeVisible();
  expect(pageErrors).toEqual([]);
  // An order's address (an emailed link's) asks for sign-in, then comes back to that order, not the whole list.
  const [order] = await orderNumbersOf(DEMO.ada.email);
  await page.goto(`/orders/${order}?from=email`);
  await expect(page).toHaveURL(`/signin?callbackUrl=${encodeURIComponent(`/orders/${order}?from=email`)}`);
  await signIn(page, DEMO.ada.email, DEMO.ada.password);
  await expect(page).toHaveURL(`/orders/${order}?from=email`);
  await expect(page.getByRole("heading", { name: `Order ${order}` })).toBeVisible();
});

test("before the page's script runs, the sign-in form cannot be sent, least of all with the password in the address", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  // A slow phone: the HTML is there, the scripts are not (yet).
  await page.route("**/_next/static/chunks/**", (route) => route.abort());
  await page.goto("/signin");
  await page.getByLabel("Email", { exact: true }).fill(DEMO.ada.email);
  await page.getByLabel("Password", { exact: true }).fill("typed-before-the-script");
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeDisabled();
  await page.getByLabel("Password", { exact: true }).press("Enter");
  await expect(page).toHaveURL(/\/signin$/);
  expect(await page.evaluate(() => performance.getEntriesByType("navigation").length)).toBe(1);
});

test("a wrong password is refused without saying which part was wrong", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(DEMO.grace.email);
  await page.getByLabel("Password").fill("not-her-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("That email and password do not match an account. Check them and try again.");
  await expect(page).toHaveURL(/\/signin/);
});

test("a forgotten password is reset through the emailed link, which works once and ends other sessions", async ({ page, browser }) => {
  const { email, userId } = await signUp(page, "Rita Reset", "reset", "the-original-password");

  // A second browser stays signed in with the old password: the reset must end that session.
  const otherContext = await browser.newContext();
  const otherPage = await otherContext.newPage();
  await signIn(otherPage, email, "the-original-password");
  await expect(otherPage.getByRole("heading", { name: "Hello, Rita" })).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByText("You are signed out.")).toBeVisible();
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  const sent = "If an account exists for that email, we have sent a link to reset the password. It works for one hour.";
  await expect(page.getByTestId("form-message")).toHaveText(sent);

  // Same answer for an address without an account.
  await page.getByLabel("Email").fill(`nobody-${Date.now()}@example.com`);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByTestId("form-message")).toHaveText(sent);

  // The request is answered at once and worked by a background job (the same work for every address).
  const resetLink = page.getByTestId("email").first().getByRole("link", { name: /reset-password/ });
  await expect(async () => {
    await page.goto(`/dev/mailbox?to=${encodeURIComponent(email)}`);
    await expect(resetLink).toBeVisible({ timeout: 1_000 });
  }).toPass(BACKGROUND);
  const href = await resetLink.getAttribute("href");
  await resetLink.click();
  await chooseNewPassword(page, "a-brand-new-password");

  await signIn(page, email, "a-brand-new-password");
  await expect(page.getByRole("heading", { name: "Hello, Rita" })).toBeVisible();

  // The link is single-use.
  await page.goto(new URL(href!).pathname);
  await expect(page.getByText("This reset link has expired or was already used.")).toBeVisible();

  // The other browser's session ended with the reset.
  await otherPage.goto("/");
  await expect(otherPage.getByRole("heading", { name: "Hello, Rita" })).toHaveCount(0);
  await expect(otherPage.getByRole("link", { name: "Sign in", exact: true }).first()).toBeVisible();
  await otherContext.close();

  expect((await trailOf(email, "password_reset")).map((e) => `${e.step}:${e.kind}`)).toEqual(
    expect.arrayContaining(["request:VIEWED", "request:COMPLETED", "new_password:VIEWED", "new_password:COMPLETED"]),
  );
  // The used link opened again is the task started again, and refused.
  await expectTrailAgreement(page, userId, [completed("password_reset"), { type: "password_reset", outcome: "IN_PROGRESS", level: 0 }], { only: ["password_reset"] });
});

test("a password reset finished from its link in another browser is the attempt that asked, reaching every step", async ({ page, browser }) => {
  const { email, userId } = await newCustomer("Lena Link", "reset-link");
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("If an account exists for that email, we have sent a link to reset the password. It works for one hour.");
  // Sent by the queue's worker, so it may take a moment.
  let link: string | undefined;
  await expect
    .poll(async () => {
      const [sent] = await query<{ text: string }>(`SELECT "text" FROM "EmailMessage" WHERE "to" = $1 AND "subject" = 'Reset your Waymark password'`, [email]);
      link = sent && /\/reset-password\/[A-Za-z0-9_-]+/.exec(sent.text)?.[0];
      return link;
    }, BACKGROUND)
    .toBeDefined();

  // The mail app opens the link in another browser, which knows nothing of the tab that asked.
  const mailApp = await browser.newContext();
  const other = await mailApp.newPage();
  await other.goto(link!);
  await chooseNewPassword(other, "a-password-from-the-link");
  // Signing in there joins that browser's attempts to the account, as for any visitor.
  await signIn(other, email, "a-password-from-the-link");
  await expect(other.getByRole("heading", { name: "Hello, Lena" })).toBeVisible();

  // One attempt: asked in the first browser, the link's page and the new password in the other.
  await expectTrailAgreement(other, userId, [completed("password_reset")], { only: ["password_reset"] });
  await mailApp.close();
});

test("after five wrong passwords for one email, sign-in says how long to wait", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  // An email of its own, so no other test (or a rerun against a reused server) meets the lock. Whether
  // it has an account makes no difference; that the right password waits too is shown in
  // tests/integration/account-takeover.test.ts.
  const email = `locked-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  for (let attempt = 1; attempt <= 6; attempt++) {
    await page.getByLabel("Password").fill(`wrong-guess-${attempt}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("form-message")).toHaveText(
      attempt <= 5 ? "That email and password do not match an account. Check them and try again." : "Too many attempts. For your security, try again in 15 minutes, or reset your password.",
    );
  }
  await expect(page).toHaveURL(/\/signin/);
});

test("five wrong passwords typed elsewhere do not lock the owner out of the browser they sign in on", SAME_ON_EVERY_VIEWPORT, async ({ page, browser }) => {
  const owner = await newCustomer("Kept Kim", "known-device");
  await signIn(page, owner.email, owner.password);
  const device = (await page.context().cookies()).find((cookie) => cookie.name === "waymark_device");
  // Sent to the sign-in endpoints only, and never readable by the page's scripts.
  expect(device).toMatchObject({ path: "/api/auth", httpOnly: true, sameSite: "Lax" });
  expect(device!.value).not.toContain(owner.email.split("@")[0]);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);

  // Someone else, in a browser of their own, guesses until the account is locked for them: even its
  // right password waits there.
  const elsewhere = await browser.newContext();
  const attacker = await elsewhere.newPage();
  await attacker.goto("/signin");
  await attacker.getByLabel("Email").fill(owner.email);
  for (let attempt = 1; attempt <= 6; attempt++) {
    await attacker.getByLabel("Password").fill(attempt <= 5 ? `wrong-guess-${attempt}` : owner.password);
    await attacker.getByRole("button", { name: "Sign in" }).click();
    await expect(attacker.getByTestId("form-message")).toHaveText(
      attempt <= 5 ? "That email and password do not match an account. Check them and try again." : "Too many attempts. For your security, try again in 15 minutes, or reset your password.",
    );
  }
  await elsewhere.close();

  // The owner's own browser signs in as usual.
  await signIn(page, owner.email, owner.password);
  await expect(page.getByRole("heading", { name: "Hello, Kept" })).toBeVisible();
});

test("a callbackUrl pointing off-site is not followed after sign-in", SAME_ON_EVERY_VIEWPORT, async ({ page, baseURL }) => {
  // Browsers read "/\\evil.example" as "//evil.example", another site.
  await page.goto("/signin?callbackUrl=/%5Cevil.example");
  await signIn(page, DEMO.grace.email, DEMO.grace.password);
  await expect(page.getByRole("heading", { name: "Hello, Grace" })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  expect(new URL(page.url()).pathname).toBe("/");
});

test("staff areas answer 404 to customers and to anonymous visitors, and open for their role", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  for (const path of ["/agent", "/agent/contacts", "/insights"]) {
    const response = await page.goto(path);
    expect(response?.status(), `${path} anonymous`).toBe(404);
  }
  await signIn(page, DEMO.grace.email, DEMO.grace.password);
  for (const path of ["/agent", "/agent/contacts", "/insights"]) {
    const response = await page.goto(path);
    expect(response?.status(), `${path} as a customer`).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByText("You are signed out.")).toBeVisible();

  await signIn(page, DEMO.agent.email, DEMO.agent.password);
  await expect(page).toHaveURL(/\/agent$/);
  await expect(page.getByRole("heading", { name: "Agent desk" })).toBeVisible();
  expect((await page.goto("/insights"))?.status()).toBe(404);
});

test("the analyst signs in to the insights area", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  await signIn(page, DEMO.analyst.email, DEMO.analyst.password);
  await expect(page).toHaveURL(/\/insights$/);
  expect((await page.goto("/agent"))?.status()).toBe(404);
});

test("a customer cannot open another customer's order", SAME_ON_EVERY_VIEWPORT, async ({ page }) => {
  const [adasOrder] = await orderNumbersOf(DEMO.ada.email);
  await signIn(page, DEMO.grace.email, DEMO.grace.password);
  const response = await page.goto(`/orders/${adasOrder}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByText(adasOrder)).toHaveCount(0);
});
