/** @type {import("next").NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // A self-contained server (node .next/standalone/server.js) for App Service, containers and
  // \`npm start\`; the end-to-end tests run against it.
  output: "standalone",
  // Never trace test artifacts or local state into the server, whatever a dynamic
  // fs path makes the tracer think (\`npm test\` also fails when e2e/, tests/, docs/ or specs/ leak in).
  outputFileTracingExcludes: {
    "*": ["test-results*/**", "reports/**", ".data/**", "playwright-report/**"],
  },
  // The engine's database drivers load at run time from node_modules (PGlite reads its WebAssembly
  // and data files next to its own code; bundling would lose them), and the standalone output
  // carries them whole.
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  // Lets parallel checkouts / test runs build side by side without sharing `.next`.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Security headers on every response (docs/access-control.md). Pages get their full nonce CSP
  // from proxy.ts; this baseline covers everything else (static files, API answers). File content
  // from /api/openai keeps the proxy's own `sandbox` CSP.
  async headers() {
    const always = [
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "Referrer-Policy", value: "no-referrer" },
      { key: "X-Frame-Options", value: "DENY" },
      { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
      { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
    ];
    return [
      { source: "/:path*", headers: always },
      {
        source: "/((?!api/openai/).*)",
        headers: [
          {
            key: "Content-Security-Policy",
            value: "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
          },
        ],
      },
    ];
  },
};

export default nextConfig;
