// Runs once before the server takes requests. The Node-only gate lives in lib/server/startup
// (imported only under the Node runtime, so the Edge compile never sees process.exit).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { enforceStartup } = await import("./lib/server/startup");
    enforceStartup();
  }
}
