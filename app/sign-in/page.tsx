import type { Metadata } from "next";
import { SignInPage } from "@/components/access/sign-in-page";

export const metadata: Metadata = { title: "Sign in · Assistants Playground" };
// Rendered per request: the page's scripts carry this response's CSP nonce.
export const dynamic = "force-dynamic";

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const { next } = await searchParams;
  return <SignInPage next={typeof next === "string" ? next : "/"} />;
}
