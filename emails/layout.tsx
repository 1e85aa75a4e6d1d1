import { Body, Button, Container, Head, Heading, Hr, Html, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";

export const PRODUCT_NAME = "Console";

/** The frame every e-mail shares: a heading, the body, one call to action, a footer. */
export function EmailLayout(props: {
  preview: string;
  heading: string;
  children: ReactNode;
  action?: { label: string; href: string };
  footer?: string;
}) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={{ backgroundColor: "#f4f4f5", fontFamily: "ui-sans-serif, system-ui, Helvetica, Arial, sans-serif" }}>
        <Container style={{ backgroundColor: "#ffffff", borderRadius: 8, margin: "32px auto", maxWidth: 520, padding: 32 }}>
          <Text style={{ color: "#18181b", fontSize: 14, fontWeight: 700, margin: 0 }}>{PRODUCT_NAME}</Text>
          <Heading as="h1" style={{ color: "#18181b", fontSize: 22, margin: "24px 0 12px" }}>
            {props.heading}
          </Heading>
          {props.children}
          {props.action ? (
            <Section style={{ margin: "24px 0" }}>
              <Button
                href={props.action.href}
                style={{ backgroundColor: "#18181b", borderRadius: 6, color: "#ffffff", fontSize: 14, padding: "12px 20px" }}
              >
                {props.action.label}
              </Button>
              <Text style={{ color: "#52525b", fontSize: 12, marginTop: 16 }}>
                Or paste this link into your browser: {props.action.href}
              </Text>
            </Section>
          ) : null}
          <Hr style={{ borderColor: "#e4e4e7", margin: "24px 0" }} />
          <Text style={{ color: "#71717a", fontSize: 12, margin: 0 }}>
            {props.footer ?? "If you did not expect this e-mail, you can ignore it."}
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

export const paragraph = { color: "#3f3f46", fontSize: 14, lineHeight: "22px" } as const;
