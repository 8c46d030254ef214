import type { Metadata } from "next";
import { BackupPage } from "@/components/backup/backup-page";

export const metadata: Metadata = { title: "Backup · Assistants Playground" };

export default function Page() {
  return <BackupPage />;
}
