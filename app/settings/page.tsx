import type { Metadata } from "next";
import { SettingsPage } from "@/components/layout/settings-page";

export const metadata: Metadata = { title: "Settings · Assistants Playground" };

export default function Page() {
  return <SettingsPage />;
}
