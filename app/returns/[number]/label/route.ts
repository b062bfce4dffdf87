// The return's label or drop-off slip as a PDF, for the return's owner only: anyone else (signed
// in or not) gets a 404, so a return number reveals nothing.
import { currentPrincipal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { renderLabelPdf } from "@/lib/returns/label-pdf";
import { senderAddress } from "@/lib/returns/labels";

export const dynamic = "force-dynamic";

const notFound = () => new Response("Not found", { status: 404, headers: { "content-type": "text/plain" } });

export async function GET(_request: Request, { params }: { params: Promise<{ number: string }> }): Promise<Response> {
  const { number } = await params;
  const principal = await currentPrincipal();
  if (!principal || !/^RT-\d{6}$/.test(number)) return notFound();
  const ret = await db().return.findFirst({
    where: { number, userId: principal.userId, status: "APPROVED", carrierCode: { not: null } },
    select: { number: true, method: true, carrierCode: true, order: { select: { shippingAddress: true } }, lines: { select: { quantity: true } } },
  });
  if (!ret?.carrierCode) return notFound();
  const pdf = await renderLabelPdf({
    returnNumber: ret.number,
    method: ret.method,
    carrier: "Parcelnet Returns",
    code: ret.carrierCode,
    from: senderAddress(ret.order.shippingAddress),
    itemCount: ret.lines.reduce((n, l) => n + l.quantity, 0),
  });
  return new Response(Buffer.from(pdf), {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="waymark-return-${ret.number}.pdf"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
