/**
 * The extraction worker's entry (started by ./pool.ts on a `node:worker_threads` thread): runs one
 * job at a time and answers `{ id, result }`. It says `ready` once loaded, so the pool's time budget
 * measures extraction, not start-up.
 */
import { parentPort, workerData } from "node:worker_threads";
import { runExtractJob, type ExtractJob } from "./job";

const port = parentPort;
if (!port) throw new Error("extract/worker.ts runs on a worker thread (see extract/pool.ts).");
const testHooks = (workerData as { testHooks?: boolean } | null)?.testHooks === true;

port.on("message", (message: { id: number; job: ExtractJob }) => {
  void runExtractJob(message.job, testHooks).then((result) => port.postMessage({ id: message.id, result }));
});
port.postMessage({ ready: true });
