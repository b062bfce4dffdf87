import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config/env";
import { embeddedSecret, serverEnv } from "./server-env";

const database = { url: "postgresql://postgres:waymark@127.0.0.1:54329/waymark" };
const PRODUCTION = { NODE_ENV: "production" } as const;

describe("serverEnv", () => {
  it("does not switch the local mailbox on by itself, not even on the embedded demo database", () => {
    const env = serverEnv(PRODUCTION, parseConfig({ PORT: "3000" }), database, () => "generated-secret");
    expect(env.WAYMARK_DEV_MAILBOX).toBeUndefined();
    expect(env).toMatchObject({ DATABASE_URL: database.url, NEXTAUTH_URL: "http://localhost:3000", NEXTAUTH_SECRET: "generated-secret" });
  });

  it("keeps the switch when the person starting the portal sets it", () => {
    const inherited = { ...PRODUCTION, WAYMARK_DEV_MAILBOX: "1" };
    expect(serverEnv(inherited, parseConfig(inherited), database, () => "s").WAYMARK_DEV_MAILBOX).toBe("1");
  });

  it("runs the web server and the worker as production, whatever the shell that started them says", () => {
    expect(serverEnv({ NODE_ENV: "development" }, parseConfig({ PORT: "3000" }), database, () => "s").NODE_ENV).toBe("production");
    expect(serverEnv({ NODE_ENV: "test" }, parseConfig({ PORT: "3000" }), database, () => "s").NODE_ENV).toBe("production");
  });

  it("gives the web server the public URL the portal is reached at", () => {
    expect(serverEnv(PRODUCTION, parseConfig({ PORT: "8080" }), database, () => "s").NEXTAUTH_URL).toBe("http://localhost:8080");
    expect(serverEnv(PRODUCTION, parseConfig({ NEXTAUTH_URL: "https://portal.example/" }), database, () => "s").NEXTAUTH_URL).toBe("https://portal.example");
  });
});

describe("embeddedSecret", () => {
  it("is generated into a folder not made yet (the database kept elsewhere, WAYMARK_PG_DIR) and is the same at the next start", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "waymark-secret-")), ".data", "nextauth-secret");
    const secret = embeddedSecret(file);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(embeddedSecret(file)).toBe(secret);
  });
});
