/**
 * The bare app's root layout (the browser benchmark's floor: a Next 16 + React 19 page with
 * nothing of ours in it). The bench copies this file to `app/layout.tsx` of a throwaway app.
 */
import type { ReactNode } from "react";

export const metadata = { title: "Bare Next.js page" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
