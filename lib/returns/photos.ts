// Photos customers attach to a return line ("damaged", "wrong item"). Stored outside the web root
// under UPLOADS_DIR, one folder per customer, with a random name and the extension of the type
// the bytes prove (never the name or type the browser claims). Served only through routes that
// check who is asking. A photo is uploaded before its return is sent, so photos no return uses
// are capped per account and removed after a while (the worker's return-photo-cleanup duty), and
// a deleted account's folder goes with it.
import "server-only";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { env } from "@/lib/config/env";
import type { Db } from "@/lib/db/client";
import { MAX_PHOTO_BYTES, PHOTO_CONTENT_TYPE, type PhotoProblemCode, type PhotoType } from "./photo-rules";

/** The name a stored photo is known by: a random uuid and its proven type. */
export const PHOTO_TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(jpeg|png|webp)$/;
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The image type from the file's first bytes (its magic number), or null for anything else. */
export function detectPhotoType(bytes: Uint8Array): PhotoType | null {
  const starts = (signature: number[], offset = 0) => signature.every((b, i) => bytes[offset + i] === b);
  if (starts([0xff, 0xd8, 0xff])) return "jpeg";
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  // RIFF....WEBP
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "webp";
  return null;
}

export type PhotoCheck = { ok: true; type: PhotoType } | { ok: false; code: PhotoProblemCode };

export function checkPhoto(bytes: Uint8Array): PhotoCheck {
  if (bytes.length === 0) return { ok: false, code: "photo_empty" };
  if (bytes.length > MAX_PHOTO_BYTES) return { ok: false, code: "photo_too_large" };
  const type = detectPhotoType(bytes);
  return type ? { ok: true, type } : { ok: false, code: "photo_wrong_type" };
}

export function uploadsRoot(): string {
  // Outside the build on purpose: uploads are data, never traced into the server bundle.
  return path.resolve(/*turbopackIgnore: true*/ env().UPLOADS_DIR);
}

/** Where a customer's photo lives, relative to the uploads root (what ReturnLine.photoPath stores). */
export function photoPath(userId: string, token: string): string {
  if (!SAFE_ID.test(userId) || !PHOTO_TOKEN.test(token)) throw new Error("invalid photo reference");
  return path.posix.join("returns", userId, token);
}

function absolute(relativePath: string, root: string): string {
  const full = path.resolve(root, relativePath);
  if (!full.startsWith(root + path.sep)) throw new Error("photo path outside the uploads directory");
  return full;
}

export async function storePhoto(userId: string, bytes: Uint8Array, root = uploadsRoot()): Promise<{ ok: true; token: string } | Exclude<PhotoCheck, { ok: true }>> {
  const check = checkPhoto(bytes);
  if (!check.ok) return check;
  const token = `${crypto.randomUUID()}.${check.type}`;
  const file = absolute(photoPath(userId, token), root);
  await fs.mkdir(/*turbopackIgnore: true*/ path.dirname(file), { recursive: true, mode: 0o700 });
  await fs.writeFile(/*turbopackIgnore: true*/ file, bytes, { mode: 0o600, flag: "wx" });
  return { ok: true, token };
}

/** Whether the customer uploaded this photo (it sits in their own folder). */
export async function ownsPhoto(userId: string, token: string, root = uploadsRoot()): Promise<boolean> {
  if (!SAFE_ID.test(userId) || !PHOTO_TOKEN.test(token)) return false;
  return fs.stat(/*turbopackIgnore: true*/ absolute(photoPath(userId, token), root)).then((s) => s.isFile(), () => false);
}

export async function readPhoto(relativePath: string, root = uploadsRoot()): Promise<{ bytes: Buffer; contentType: string } | null> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(/*turbopackIgnore: true*/ absolute(relativePath, root));
  } catch {
    return null;
  }
  const detected = detectPhotoType(bytes);
  return detected ? { bytes, contentType: PHOTO_CONTENT_TYPE[detected] } : null;
}

type StoredPhoto = { path: string; modifiedAt: Date };

function customerFolder(userId: string, root: string): string {
  if (!SAFE_ID.test(userId)) throw new Error("invalid customer id");
  return absolute(path.posix.join("returns", userId), root);
}

async function storedPhotos(userId: string, root: string): Promise<StoredPhoto[]> {
  const folder = customerFolder(userId, root);
  const names = await fs.readdir(/*turbopackIgnore: true*/ folder).catch(() => [] as string[]);
  const photos = await Promise.all(
    names
      .filter((name) => PHOTO_TOKEN.test(name))
      .map(async (name) => {
        const stat = await fs.stat(/*turbopackIgnore: true*/ path.join(folder, name)).catch(() => null);
        return stat?.isFile() ? { path: photoPath(userId, name), modifiedAt: stat.mtime } : null;
      }),
  );
  return photos.filter((photo): photo is StoredPhoto => photo !== null);
}

async function unusedOf(db: Db, photos: StoredPhoto[]): Promise<StoredPhoto[]> {
  if (photos.length === 0) return [];
  const used = await db.returnLine.findMany({ where: { photoPath: { in: photos.map((p) => p.path) } }, select: { photoPath: true } });
  const usedPaths = new Set(used.map((line) => line.photoPath));
  return photos.filter((photo) => !usedPaths.has(photo.path));
}

/** How many of the customer's photos no return uses (yet): the upload route refuses more than RETURN_PHOTO_UNUSED_MAX. */
export async function countUnusedPhotos(db: Db, userId: string, root = uploadsRoot()): Promise<number> {
  return (await unusedOf(db, await storedPhotos(userId, root))).length;
}

/**
 * Removes every photo no return uses that is older than `maxAgeMs` (a customer who uploads and
 * then sends the return within that time keeps theirs). Returns how many were removed.
 */
export async function removeUnusedPhotos(db: Db, now: Date, maxAgeMs: number, root = uploadsRoot()): Promise<number> {
  const customers = await fs.readdir(/*turbopackIgnore: true*/ path.join(root, "returns")).catch(() => [] as string[]);
  let removed = 0;
  for (const userId of customers.filter((name) => SAFE_ID.test(name))) {
    const old = (await storedPhotos(userId, root)).filter((photo) => now.getTime() - photo.modifiedAt.getTime() > maxAgeMs);
    for (const photo of await unusedOf(db, old)) {
      await fs.rm(/*turbopackIgnore: true*/ absolute(photo.path, root), { force: true });
      removed++;
    }
  }
  return removed;
}

/** A deleted account's photos: its whole folder, used or not (returns kept for the books show none). */
export async function removeCustomerPhotos(userId: string, root = uploadsRoot()): Promise<void> {
  await fs.rm(/*turbopackIgnore: true*/ customerFolder(userId, root), { recursive: true, force: true });
}
