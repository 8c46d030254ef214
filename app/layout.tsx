import type { Metadata } from "next";
import type { ReactNode } from "react";
import localFont from "next/font/local";
import { connection } from "next/server";
import "./globals.css";
import { Providers } from "./providers";
import { THEME_BOOT_SCRIPT } from "@/lib/shared/theme-boot";

// A local font file: Google-hosted fonts would be fetched at build time, and the build must work offline.
const inter = localFont({
  src: "../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  variable: "--font-inter",
  display: "swap",
});

export const metadata: Metadata = {
  title: "Assistants Playground",
  description: "Build, run and inspect assistants on any Assistants-protocol endpoint.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: its Content-Security-Policy carries a fresh nonce (see proxy.ts).
  await connection();
  return (
    <html lang="en" className={inter.variable} suppressHydrationWarning>
      <head>
        {/* Sets the theme class before the first paint: no light flash on a dark page. */}
        <script dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body className="bg-slate-100 font-sans text-slate-900 antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
