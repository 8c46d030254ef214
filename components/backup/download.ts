// The one implementation is lib/client/download.ts; this path stays while components/evaluations imports it.
export { downloadBlob } from "@/lib/client/download";
