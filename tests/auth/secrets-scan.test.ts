import { describe, expect, it } from "vitest";
import { describeFindings, scanForSecrets } from "@/e2e/support/secrets-scan";

const KEY = "e2e-azure-key-DO-NOT-LEAK-7f3a";
const TOKEN = "pgat_Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy";

describe("the secrets scanner of e2e/zz-secrets.spec.ts can fail", () => {
  it("finds a planted secret raw, URL-encoded, JSON-escaped and base64-encoded inside other text", () => {
    const planted = [
      { where: "raw.js", body: `var a="${KEY}";` },
      { where: "url", body: `/x?key=${encodeURIComponent("p@ss word/+" + KEY)}` },
      { where: "json", body: JSON.stringify({ v: `line\n${TOKEN}"` }) },
      ...[0, 1, 2].map((n) => ({
        where: `b64-${n}`,
        body: Buffer.from(`${"x".repeat(n)}prefix ${KEY} suffix`).toString("base64"),
      })),
      { where: "bytes", body: Buffer.from(`\u0000\u0001${TOKEN}\u00ff`, "latin1") },
    ];
    const findings = scanForSecrets(planted, [KEY, TOKEN]);
    const where = new Set(findings.map((f) => f.where));
    for (const p of planted) expect(where, p.where).toContain(p.where);
    expect(describeFindings(findings).join("\n")).not.toContain(KEY);
  });

  it("finds nothing in clean text, and ignores secrets too short to scan for meaningfully", () => {
    expect(
      scanForSecrets([{ where: "clean", body: "nothing to see e2e-azure-key-DO-NOT" }], [KEY, TOKEN]),
    ).toEqual([]);
    expect(scanForSecrets([{ where: "x", body: "abc" }], ["abc"])).toEqual([]);
  });
});
