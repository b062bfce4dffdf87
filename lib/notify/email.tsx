// The one email layout every message uses (react-email): Waymark's brand, one heading, the
// message's paragraphs and one button to the exact page it is about. Rendered by the worker, never in
// a web request, as HTML and as plain text from the same template. Built for mail clients: inline
// styles, a single 560 px column that shrinks on phones, real text (no text in images), a language
// and a preview line, and the link written out below the button for clients that hide buttons.
import { Body, Button, Container, Head, Heading, Hr, Html, Img, Link, Preview, Section, Text } from "@react-email/components";
import { render } from "@react-email/render";
import type { Composed } from "./catalogue";

const BRAND = "#1d4ed8";
const INK = "#111827";

type Props = { message: Composed; name: string; url: string; preferencesUrl: string; security: boolean; openPixelUrl: string | null; unsubscribeUrl: string | null };

function MessageEmail({ message, name, url, preferencesUrl, security, openPixelUrl, unsubscribeUrl }: Props) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{message.paragraphs[0]}</Preview>
      <Body style={{ backgroundColor: "#f3f4f6", color: INK, fontFamily: "Inter, Helvetica, Arial, sans-serif", margin: 0, padding: "24px 0" }}>
        <Container style={{ backgroundColor: "#ffffff", borderRadius: 8, maxWidth: 560, padding: "24px 28px" }}>
          <Text style={{ color: BRAND, fontSize: 18, fontWeight: 700, margin: "0 0 16px" }}>Waymark</Text>
          <Heading as="h1" style={{ fontSize: 22, lineHeight: "28px", margin: "0 0 16px" }}>
            {message.subject}
          </Heading>
          <Text style={{ fontSize: 16, lineHeight: "24px" }}>Hello {name},</Text>
          {message.paragraphs.map((paragraph) => (
            <Text key={paragraph} style={{ fontSize: 16, lineHeight: "24px" }}>
              {paragraph}
            </Text>
          ))}
          <Section style={{ margin: "24px 0" }}>
            <Button href={url} style={{ backgroundColor: BRAND, borderRadius: 6, color: "#ffffff", fontSize: 16, fontWeight: 600, padding: "12px 20px" }}>
              {message.action.label}
            </Button>
          </Section>
          <Text style={{ color: "#4b5563", fontSize: 14, lineHeight: "20px" }}>
            Or open this link: <Link href={url}>{url}</Link>
          </Text>
          <Hr style={{ borderColor: "#e5e7eb", margin: "24px 0 12px" }} />
          <Text style={{ color: "#4b5563", fontSize: 13, lineHeight: "18px" }}>
            {security ? (
              "We always send security notices like this one, whatever your message settings, so you know about changes to your account."
            ) : unsubscribeUrl ? (
              <>
                You get this heads-up because you asked us to tell you before things go wrong. <Link href={unsubscribeUrl}>Stop these heads-ups</Link> or{" "}
                <Link href={preferencesUrl}>change how we contact you</Link>.
              </>
            ) : (
              <>
                You get this because you asked for updates about your orders and returns. <Link href={preferencesUrl}>Change how we contact you</Link>.
              </>
            )}
          </Text>
          {openPixelUrl ? <Img src={openPixelUrl} width="1" height="1" alt="" style={{ border: 0, display: "block", height: 1, width: 1 }} /> : null}
        </Container>
      </Body>
    </Html>
  );
}

export type RenderedEmail = { subject: string; html: string; text: string };

/**
 * `baseUrl`: the portal's public URL, the only origin links in messages ever have; `url`: where the
 * button goes (the click recorder, /m/<token>); `openPixelUrl`: only for customers who allow analytics.
 */
export async function renderEmail(
  message: Composed,
  options: { name: string; baseUrl: string; url: string; openPixelUrl: string | null; security: boolean; unsubscribeUrl: string | null },
): Promise<RenderedEmail> {
  const { name, url, security, openPixelUrl, unsubscribeUrl } = options;
  const props: Props = { message, name, url, preferencesUrl: `${options.baseUrl}/account/preferences`, security, openPixelUrl, unsubscribeUrl };
  const [html, text] = await Promise.all([render(<MessageEmail {...props} />), render(<MessageEmail {...props} />, { plainText: true })]);
  return { subject: message.subject, html, text };
}
