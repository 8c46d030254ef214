import type { Engine } from "@/lib/engine";

/** Stands in for the local engine: records the Fetch requests it gets and echoes them. */
export function fakeEngine(respond?: (request: Request) => Response | Promise<Response>) {
  const requests: { method: string; url: string; headers: Headers; body: string }[] = [];
  const engine: Engine = {
    model: { id: "scripted", label: "scripted model", run: async function* () {} },
    async fetch(request) {
      const body = request.body ? await request.text() : "";
      requests.push({ method: request.method, url: request.url, headers: request.headers, body });
      if (respond) return respond(request);
      return Response.json(
        { engine: true, method: request.method, url: request.url },
        { headers: { "openai-poll-after-ms": "100" } },
      );
    },
    close: async () => {},
  };
  return { engine, requests };
}
