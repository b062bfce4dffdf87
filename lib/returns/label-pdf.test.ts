import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { renderLabelPdf } from "./label-pdf";

const from = { fullName: "Jürgen Łukasz", line1: "Hauptstraße 5", line2: null, city: "Köln", postalCode: "50667", country: "DE" };

describe("the label PDF", () => {
  it.each(["LABEL", "DROP_OFF", "PICKUP"] as const)("is a one-page PDF with the code as an image (%s)", async (method) => {
    const bytes = await renderLabelPdf({ returnNumber: "RT-100400", method, carrier: "Parcelnet Returns", code: method === "DROP_OFF" ? "9F3A7C21" : "PR5100000007", from, itemCount: 2 });
    expect(Buffer.from(bytes.slice(0, 5)).toString()).toBe("%PDF-");
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBe(1);
    expect(pdf.getTitle()).toContain("RT-100400");
    // The barcode is embedded as a PNG image XObject.
    expect(Buffer.from(bytes).toString("latin1")).toMatch(/\/Subtype \/Image/);
  });
});
