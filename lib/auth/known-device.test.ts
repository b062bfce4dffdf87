import { describe, expect, it } from "vitest";
import { deriveKey, signToken } from "@/lib/crypto/signed-token";
import { deriveLinkKey, messageToken } from "@/lib/notify/links";
import { knownDeviceCookie, knownDeviceId, knownDeviceToken } from "./known-device";

const SECRET = "known-device-test-secret-4f1c9a7e2b8d6f3a";

describe("a browser known for an account", () => {
  it("is known for the account it signed in to, however the email is typed, and for no other", () => {
    const token = knownDeviceToken(SECRET, "kim@example.com");
    const id = knownDeviceId(SECRET, token, "kim@example.com");
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(knownDeviceId(SECRET, token, " Kim@Example.com ")).toBe(id);
    expect(knownDeviceId(SECRET, token, "someone-else@example.com")).toBeNull();
    // Each sign-in names a new browser id.
    expect(knownDeviceId(SECRET, knownDeviceToken(SECRET, "kim@example.com"), "kim@example.com")).not.toBe(id);
  });

  it("is not known from a token altered, signed with another secret or for another purpose, or from none", () => {
    const token = knownDeviceToken(SECRET, "kim@example.com");
    const [id, digest, signature] = token.split(".");
    expect(knownDeviceId(SECRET, `${"A".repeat(22)}.${digest}.${signature}`, "kim@example.com")).toBeNull();
    // Its first character: the last one of a base64url HMAC carries padding bits, and a random signature may already end in whatever replaced it.
    expect(knownDeviceId(SECRET, `${id}.${digest}.${signature[0] === "A" ? "B" : "A"}${signature.slice(1)}`, "kim@example.com")).toBeNull();
    expect(knownDeviceId("another-secret-of-the-same-length-xxxxx", token, "kim@example.com")).toBeNull();
    // A message link is signed with the same secret, through a key of its own.
    expect(knownDeviceId(SECRET, messageToken(deriveLinkKey(SECRET), "a".repeat(24), "email"), "kim@example.com")).toBeNull();
    expect(knownDeviceId(SECRET, signToken(deriveKey(SECRET, "waymark known device v1"), `${id}.${digest}.extra`), "kim@example.com")).toBeNull();
    for (const nothing of [undefined, null, "", ".", "x".repeat(500)]) expect(knownDeviceId(SECRET, nothing, "kim@example.com")).toBeNull();
  });

  it("is remembered in a cookie scripts cannot read, sent to the sign-in endpoints only, over https when the portal is", () => {
    expect(knownDeviceCookie("t.o.k", false)).toBe("waymark_device=t.o.k; Path=/api/auth; Max-Age=31536000; HttpOnly; SameSite=Lax");
    expect(knownDeviceCookie("t.o.k", true)).toMatch(/; Secure$/);
    expect(knownDeviceToken(SECRET, "kim@example.com")).not.toContain("kim");
  });
});
