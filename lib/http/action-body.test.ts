import { describe, expect, it } from "vitest";
import { isDecodableActionBody } from "./action-body";

/** A form's body and Content-Type as a browser sends them. */
async function multipart(fields: Record<string, string>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const request = new Request("http://portal.example/", { method: "POST", body: form });
  return { contentType: request.headers.get("content-type")!, body: Buffer.from(await request.arrayBuffer()) };
}

const called = (contentType: string) => new Headers({ "next-action": "7f3a", "content-type": contentType });
const posted = (contentType: string) => new Headers({ "content-type": contentType });

describe("a server action's body, read as Next.js will decode it", () => {
  it("takes what the portal's pages send: a script's call as text or as a form, and a form posted before the script ran", async () => {
    expect(await isDecodableActionBody(called("text/plain;charset=UTF-8"), Buffer.from('["WM-209300","$undefined"]'))).toBe(true);
    const saved = await multipart({ "0": '["$K1"]', "1_name": "Ada Lovelace", "1_note": "{not json, and need not be" });
    expect(await isDecodableActionBody(called(saved.contentType), saved.body)).toBe(true);
    const plain = await multipart({ "$ACTION_REF_1": "", "$ACTION_1:0": '{"id":"7f3a","bound":"$@1"}', "$ACTION_1:1": '["WM-209300"]', name: "Ada", "2": "a field of the form's own" });
    expect(await isDecodableActionBody(posted(plain.contentType), plain.body)).toBe(true);
  });

  it("refuses text cut short or with a raw NUL byte, where Next.js failed to parse the reply", async () => {
    expect(await isDecodableActionBody(called("text/plain;charset=UTF-8"), Buffer.from('["WM-2093'))).toBe(false);
    expect(await isDecodableActionBody(called("text/plain;charset=UTF-8"), Buffer.from('["a\u0000b"]'))).toBe(false);
  });

  it("refuses a body that is not valid multipart, a call without its root row and a row that is not JSON", async () => {
    const form = await multipart({ "0": '["$K1"]', "1_name": "Ada" });
    const cut = form.body.subarray(0, form.body.length - 20);
    expect(await isDecodableActionBody(called(form.contentType), cut)).toBe(false);
    expect(await isDecodableActionBody(posted(form.contentType), Buffer.from("\u0000\u0000 not multipart"))).toBe(false);
    expect(await isDecodableActionBody(called("multipart/form-data"), form.body)).toBe(false);
    const rootless = await multipart({ "1_name": "Ada" });
    expect(await isDecodableActionBody(called(rootless.contentType), rootless.body)).toBe(false);
    const brokenRow = await multipart({ "0": '["$K1"', "1_name": "Ada" });
    expect(await isDecodableActionBody(called(brokenRow.contentType), brokenRow.body)).toBe(false);
    const brokenBound = await multipart({ "$ACTION_REF_1": "", "$ACTION_1:0": '{"id":', name: "Ada" });
    expect(await isDecodableActionBody(posted(brokenBound.contentType), brokenBound.body)).toBe(false);
  });
});
