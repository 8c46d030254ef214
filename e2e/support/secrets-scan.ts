/**
 * Looks for secrets in what the server sent: each secret raw and in the encodings it could travel
 * in (URL-encoded, JSON-escaped, base64 / base64url of the secret alone). Pure, so a unit test
 * (tests/auth/secrets-scan.test.ts) proves it finds a planted value.
 */
export interface SecretFinding {
  secret: string;
  encoding: string;
  where: string;
}

function forms(secret: string): [string, string][] {
  const out: [string, string][] = [
    ["raw", secret],
    ["url-encoded", encodeURIComponent(secret)],
    ["json-escaped", JSON.stringify(secret).slice(1, -1)],
  ];
  // base64 of the secret alone (three alignments, so it is found inside a longer encoded text).
  const bytes = Buffer.from(secret, "utf8");
  for (let pad = 0; pad < 3; pad++) {
    const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString("base64");
    // Drop the characters that depend on the padding or on what follows.
    const inner = encoded.slice(Math.ceil((pad * 4) / 3) + 1, -4);
    if (inner.length >= 12) {
      out.push([`base64(+${pad})`, inner]);
      out.push([`base64url(+${pad})`, inner.replace(/\+/g, "-").replace(/\//g, "_")]);
    }
  }
  return [...new Map(out.map(([k, v]) => [v, [k, v] as [string, string]])).values()];
}

export function scanForSecrets(
  items: Iterable<{ where: string; body: string | Buffer }>,
  secrets: readonly string[],
): SecretFinding[] {
  const needles = secrets
    .filter((s) => s.length >= 8)
    .flatMap((s) => forms(s).map(([encoding, v]) => ({ secret: s, encoding, v })));
  const findings: SecretFinding[] = [];
  for (const { where, body } of items) {
    const text = typeof body === "string" ? body : body.toString("latin1");
    const utf8 = typeof body === "string" ? body : body.toString("utf8");
    for (const n of needles) {
      if (text.includes(n.v) || utf8.includes(n.v))
        findings.push({ secret: n.secret, encoding: n.encoding, where });
    }
  }
  return findings;
}

/** For reports: never prints a secret, only a short fingerprint of which one matched. */
export function describeFindings(findings: SecretFinding[]): string[] {
  return findings.map((f) => `${f.where}: secret …${f.secret.slice(-4)} (${f.encoding})`);
}
