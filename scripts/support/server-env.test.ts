import { describe, expect, it } from "vitest";
import { serverEnv } from "./server-env";

const database = { url: "postgresql://postgres:waymark@127.0.0.1:54329/waymark" };

describe("serverEnv", () => {
  it("does not switch the local mailbox on by itself, not even on the embedded demo database", () => {
    const env = serverEnv({ NODE_ENV: "production" }, database, "3000", () => "generated-secret");
    expect(env.WAYMARK_DEV_MAILBOX).toBeUndefined();
    expect(env).toMatchObject({ DATABASE_URL: database.url, NEXTAUTH_URL: "http://localhost:3000", NEXTAUTH_SECRET: "generated-secret" });
  });

  it("keeps the switch when the person starting the portal sets it", () => {
    expect(serverEnv({ NODE_ENV: "production", WAYMARK_DEV_MAILBOX: "1" }, database, "3000", () => "s").WAYMARK_DEV_MAILBOX).toBe("1");
  });
});
