/**
 * A loopback stand-in for an Azure OpenAI resource whose key is wrong: every Assistants call
 * answers Azure's 401 body, so Test connection can show "bad key". Started by playwright.config.ts
 * on FAKE_AZURE_PORT; /_fake/health answers 200 so Playwright knows it is up.
 */
import http from "node:http";

const port = Number(process.env.FAKE_AZURE_PORT ?? 3938);
const server = http.createServer((req, res) => {
  req.resume();
  if (req.url === "/_fake/health") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"ok":true}');
    return;
  }
  res.writeHead(401, { "content-type": "application/json", "apim-request-id": "fake-401" });
  res.end(
    JSON.stringify({
      error: {
        code: "401",
        message:
          "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
      },
    }),
  );
});
server.listen(port, "127.0.0.1", () => console.log(`fake Azure (401) on http://127.0.0.1:${port}`));
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => server.close(() => process.exit(0)));
