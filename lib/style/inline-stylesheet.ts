import fs from "node:fs";
import path from "node:path";
import { compileStylesheet } from "./stylesheet-loader.cjs";

/** The stylesheet every page carries inline (app/inline-stylesheet.tsx), relative to the app's root. */
export const INLINE_STYLESHEET_SOURCE = "app/globals.css";

/** The text of the pages' inline <style>, exactly as the build wrote it into them: the same source through the same compiler. */
export function inlineStylesheetText(appRoot = process.cwd()): string {
  const file = path.join(appRoot, INLINE_STYLESHEET_SOURCE);
  return compileStylesheet(fs.readFileSync(file, "utf8"), file);
}
