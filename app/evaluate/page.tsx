import type { Metadata } from "next";
import { EvaluatePage } from "@/components/evaluations/evaluate-page";

export const metadata: Metadata = { title: "Evaluate · Assistants Playground" };

export default function Page() {
  return <EvaluatePage />;
}
