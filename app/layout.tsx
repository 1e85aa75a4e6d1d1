import type { Metadata, Viewport } from "next";
import { connection } from "next/server";

import { Providers } from "@/components/providers";
import { AppToaster } from "@/components/ui/toaster";

import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Console", template: "%s · Console" },
  description: "Organizations, members and access for your cloud projects.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: its scripts carry the nonce of that request's
  // Content-Security-Policy (proxy.ts), which a page built ahead of time cannot.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-dvh font-sans">
        <Providers>{children}</Providers>
        <AppToaster />
      </body>
    </html>
  );
}
