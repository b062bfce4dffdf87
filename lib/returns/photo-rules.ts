// What a return photo may be, shared by the browser's early check and the server's final one.

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

export type PhotoType = "jpeg" | "png" | "webp";

export const PHOTO_CONTENT_TYPE: Record<PhotoType, string> = { jpeg: "image/jpeg", png: "image/png", webp: "image/webp" };

export type PhotoProblemCode = "photo_empty" | "photo_too_large" | "photo_wrong_type" | "photo_limit";

export const PHOTO_PROBLEM_MESSAGE: Record<PhotoProblemCode, string> = {
  photo_empty: "That file is empty. Choose a photo (JPEG, PNG or WebP).",
  photo_too_large: "That photo is larger than 5 MB. Choose a smaller one, or take the photo at a lower resolution.",
  photo_wrong_type: "That file is not a JPEG, PNG or WebP photo. Choose a photo in one of those formats.",
  photo_limit: "You have added many photos without sending a return. Send your return with the photos you have, or try again later.",
};
