// The printable return label or drop-off slip: an A6 PDF (pdf-lib) with a scannable code rendered by
// bwip-js (Code 128 for the tracking number, QR for a drop-off code).
import bwipjs from "bwip-js/node";
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import type { CarrierAddress } from "@/lib/integrations/carrier";
import { countOf } from "@/lib/format/plural";

const WAREHOUSES: Record<string, string[]> = {
  GB: ["Waymark Returns", "Unit 4, Brackmills Industrial Estate", "Northampton NN4 7PB", "United Kingdom"],
  US: ["Waymark Returns", "1250 Trademark Drive", "Reno, NV 89521", "United States"],
  EU: ["Waymark Returns", "Celsiusweg 25", "5928 PR Venlo", "Netherlands"],
};

export function returnsWarehouse(country: string): string[] {
  return WAREHOUSES[country] ?? WAREHOUSES.EU;
}

export type LabelInput = {
  returnNumber: string;
  method: "LABEL" | "DROP_OFF" | "PICKUP";
  carrier: string;
  /** The tracking number, or the drop-off code for a drop-off. */
  code: string;
  from: CarrierAddress;
  itemCount: number;
};

// The standard PDF fonts only know Latin-1: keep what they can print, fold accents of the rest.
function printable(text: string): string {
  return [...text].map((ch) => (/[\x20-\x7E\u00A0-\u00FF]/.test(ch) ? ch : ch.normalize("NFKD").replace(/[^\x20-\x7E]/g, "") || "?")).join("");
}

const TITLE: Record<LabelInput["method"], string> = { LABEL: "Return label", DROP_OFF: "Drop-off slip", PICKUP: "Pickup label" };
const INSTRUCTIONS: Record<LabelInput["method"], string[]> = {
  LABEL: ["Pack the items, stick this label on the parcel", "and hand it to the carrier or a parcel shop."],
  DROP_OFF: ["Take the parcel to a parcel shop and show this code.", "They print the label for you."],
  PICKUP: ["Pack the items and stick this label on the parcel.", "The carrier collects it on the booked day."],
};

export async function renderLabelPdf(input: LabelInput): Promise<Uint8Array> {
  const barcode = await bwipjs.toBuffer(
    input.method === "DROP_OFF"
      ? { bcid: "qrcode", text: input.code, scale: 5 }
      : { bcid: "code128", text: input.code, scale: 3, height: 14, includetext: true, textxalign: "center" },
  );
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${TITLE[input.method]} ${input.returnNumber}`);
  pdf.setProducer("Waymark");
  const page = pdf.addPage([298, 420]); // A6 in points
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const text = (p: PDFPage, value: string, x: number, y: number, font: PDFFont, size = 9) => p.drawText(printable(value), { x, y, size, font, color: rgb(0.1, 0.1, 0.12) });

  text(page, `${TITLE[input.method]} · ${input.carrier}`, 18, 394, bold, 12);
  text(page, `Return ${input.returnNumber} · ${countOf(input.itemCount, "item")}`, 18, 378, regular, 9);

  text(page, "FROM", 18, 354, bold, 8);
  const from = [input.from.fullName, input.from.line1, input.from.line2, `${input.from.postalCode} ${input.from.city}`, input.from.country].filter((l): l is string => Boolean(l));
  from.forEach((line, i) => text(page, line, 18, 342 - i * 11, regular));
  text(page, "TO", 160, 354, bold, 8);
  returnsWarehouse(input.from.country).forEach((line, i) => text(page, line, 160, 342 - i * 11, i === 0 ? bold : regular));

  const image = await pdf.embedPng(barcode);
  const maxWidth = 262;
  const scale = Math.min(maxWidth / image.width, (input.method === "DROP_OFF" ? 150 : 110) / image.height);
  const width = image.width * scale;
  const height = image.height * scale;
  page.drawImage(image, { x: (298 - width) / 2, y: 110, width, height });
  if (input.method === "DROP_OFF") text(page, `Drop-off code: ${input.code}`, 18, 92, bold, 12);

  INSTRUCTIONS[input.method].forEach((line, i) => text(page, line, 18, 66 - i * 12, regular));
  text(page, "Waymark · returns", 18, 18, regular, 7);
  return pdf.save();
}

/** A PNG of the code for showing on screen (the drop-off code's QR). */
export async function renderCodePng(code: string): Promise<Buffer> {
  return bwipjs.toBuffer({ bcid: "qrcode", text: code, scale: 4 });
}
