import type { Metadata } from "next";
import { AssistantsPage } from "@/components/assistants/assistants-page";

export const metadata: Metadata = { title: "Assistants · Assistants Playground" };

export default function Page() {
  return <AssistantsPage />;
}
