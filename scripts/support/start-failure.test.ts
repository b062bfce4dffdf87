// `npm start` either starts or says in one line what to do: bad settings are caught before anything
// starts, and a database that cannot be reached is named with PostgreSQL's own reason.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { databaseUrl, freePort } from "@/tests/support/db";
import { parseConfig } from "@/lib/config/env";
import { StartFailure, checkDatabaseReachable, checkPortFree, checkStartSettings, describeStartFailure, listenOn } from "./start-failure";

const LONG_SECRET = "a-deployment-secret-of-44-characters-0123456";

const failureOf = async (work: () => Promise<unknown> | unknown) => {
  try {
    await work();
  } catch (error) {
    return describeStartFailure(error);
  }
  throw new Error("expected a failure");
};

describe("checkStartSettings", () => {
  it("accepts the embedded default and a complete DATABASE_URL deployment", () => {
    expect(checkStartSettings(parseConfig({}))).toEqual({ port: 3000, host: "0.0.0.0", databaseUrl: undefined });
    expect(checkStartSettings(parseConfig({ CI: "true" })).host).toBe("127.0.0.1");
    expect(checkStartSettings(parseConfig({ PORT: "8080", HOST: "127.0.0.1", DATABASE_URL: " postgresql://u:p@db:5432/waymark ", NEXTAUTH_SECRET: LONG_SECRET }))).toEqual({
      port: 8080,
      host: "127.0.0.1",
      databaseUrl: "postgresql://u:p@db:5432/waymark",
    });
  });

  it.each([
    [{ PORT: "abc" }, /^configuration: PORT is invalid: must be a whole number from 1 to 65535 \(got "abc"\)$/],
    [{ PORT: "70000" }, /PORT is invalid: must be a whole number from 1 to 65535/],
    [{ DATABASE_URL: "mysql://u:secret@db/waymark", NEXTAUTH_SECRET: LONG_SECRET }, /DATABASE_URL is invalid: must be a postgresql:\/\/ URL/],
    [{ DATABASE_URL: "postgresql://u:p@db/waymark" }, /NEXTAUTH_SECRET must be set when DATABASE_URL/],
    [{ DATABASE_URL: "postgresql://u:p@db/waymark", NEXTAUTH_SECRET: "changeme" }, /^NEXTAUTH_SECRET is too short \(8 characters, at least 32\): set it to a long random string/],
  ])("refuses %j with one line that says what to set", async (env, expected) => {
    const line = await failureOf(() => checkStartSettings(parseConfig(env)));
    expect(line).toMatch(expected);
    expect(line).not.toContain("\n");
    expect(line).not.toContain("secret");
  });
});

describe("checkPortFree", () => {
  let squatter: net.Server;
  beforeAll(async () => {
    squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
  });
  afterAll(() => new Promise<void>((resolve) => squatter.close(() => resolve())));

  it("names the taken port and PORT", async () => {
    const port = (squatter.address() as net.AddressInfo).port;
    expect(await failureOf(() => checkPortFree("127.0.0.1", port))).toBe(`port ${port} is in use by another program: stop it, or set PORT to a free port`);
  });

  it("passes for a free port", async () => {
    await expect(checkPortFree("127.0.0.1", await freePort())).resolves.toBeUndefined();
  });

  it("listens: done once the port accepts a connection, or one line for a taken port", async () => {
    const server = net.createServer((socket) => socket.end());
    const port = await freePort();
    await listenOn(server, "127.0.0.1", port);
    const connected = await new Promise<boolean>((resolve) => net.connect(port, "127.0.0.1", () => resolve(true)).once("error", () => resolve(false)));
    expect(connected).toBe(true);
    expect(await failureOf(() => listenOn(net.createServer(), "127.0.0.1", port))).toBe(`port ${port} is in use by another program: stop it, or set PORT to a free port`);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

describe("checkDatabaseReachable", () => {
  const serverUrl = () => inject("postgresServerUrl");

  it("passes for a database that exists", async () => {
    await expect(checkDatabaseReachable(serverUrl())).resolves.toBeUndefined();
  });

  it("names a wrong password, a missing database and a server that is not running", async () => {
    const wrongPassword = new URL(serverUrl());
    wrongPassword.password = "not-the-password";
    expect(await failureOf(() => checkDatabaseReachable(wrongPassword.toString()))).toBe(
      "DATABASE_URL: PostgreSQL refused the user name or password: fix them",
    );
    expect(await failureOf(() => checkDatabaseReachable(databaseUrl(serverUrl(), "no_such_database")))).toBe(
      "DATABASE_URL: the database does not exist: create it (createdb) or fix its name",
    );
    const closed = new URL(serverUrl());
    closed.port = String(await freePort());
    expect(await failureOf(() => checkDatabaseReachable(closed.toString()))).toBe(
      "DATABASE_URL: PostgreSQL refused the connection: start the server, or fix the host and port",
    );
  });
});

describe("describeStartFailure", () => {
  it("keeps worded failures as they are and shortens anything else to its first line", () => {
    expect(describeStartFailure(new StartFailure("set PORT"))).toBe("set PORT");
    expect(describeStartFailure(new Error("boom\n    at somewhere (file.ts:1:1)"))).toBe("could not start: boom (WAYMARK_DEBUG=1 prints the details)");
  });
});
