import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_PHOTO_BYTES } from "./photo-rules";
import { checkPhoto, ownsPhoto, photoPath, readPhoto, storePhoto } from "./photos";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "waymark-photos-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]);
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
const WEBP = Uint8Array.from([...Buffer.from("RIFF"), 0x24, 0, 0, 0, ...Buffer.from("WEBPVP8 ")]);

describe("checking a photo", () => {
  it("recognises JPEG, PNG and WebP by their bytes, not their name", () => {
    expect(checkPhoto(JPEG)).toEqual({ ok: true, type: "jpeg" });
    expect(checkPhoto(PNG)).toEqual({ ok: true, type: "png" });
    expect(checkPhoto(WEBP)).toEqual({ ok: true, type: "webp" });
  });

  it("refuses other files, empty files and files over 5 MB", () => {
    expect(checkPhoto(Buffer.from("%PDF-1.7 pretending to be a photo"))).toEqual({ ok: false, code: "photo_wrong_type" });
    expect(checkPhoto(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toEqual({ ok: false, code: "photo_wrong_type" });
    expect(checkPhoto(new Uint8Array(0))).toEqual({ ok: false, code: "photo_empty" });
    const big = new Uint8Array(MAX_PHOTO_BYTES + 1);
    big.set(JPEG);
    expect(checkPhoto(big)).toEqual({ ok: false, code: "photo_too_large" });
    const limit = new Uint8Array(MAX_PHOTO_BYTES);
    limit.set(JPEG);
    expect(checkPhoto(limit)).toEqual({ ok: true, type: "jpeg" });
  });
});

describe("storing a photo", () => {
  it("keeps it in the customer's own folder under a random name with the proven extension", async () => {
    const stored = await storePhoto("usr_1", PNG, root);
    if (!stored.ok) throw new Error("not stored");
    expect(stored.token).toMatch(/^[0-9a-f-]{36}\.png$/);
    expect(await ownsPhoto("usr_1", stored.token, root)).toBe(true);
    expect(await ownsPhoto("usr_2", stored.token, root)).toBe(false);
    expect(await readPhoto(photoPath("usr_1", stored.token), root)).toEqual({ bytes: Buffer.from(PNG), contentType: "image/png" });
    expect(await storePhoto("usr_1", Buffer.from("not an image"), root)).toEqual({ ok: false, code: "photo_wrong_type" });
  });

  it("never reads or writes outside the uploads folder", async () => {
    expect(() => photoPath("../usr_1", "x.png")).toThrow();
    expect(await ownsPhoto("usr_1", "../../etc/passwd", root)).toBe(false);
    const outside = path.join(path.dirname(root), `${path.basename(root)}-outside.png`);
    fs.writeFileSync(outside, PNG);
    try {
      expect(await readPhoto(path.relative(root, outside), root)).toBeNull();
    } finally {
      fs.rmSync(outside);
    }
  });
});
