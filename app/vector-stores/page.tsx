import type { Metadata } from "next";
import { VectorStoresPage } from "@/components/vector-stores/vector-stores-page";

export const metadata: Metadata = { title: "Vector stores · Assistants Playground" };

export default function Page() {
  return <VectorStoresPage />;
}
