/** @type {import("next").NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Lets parallel checkouts / test runs build side by side without sharing `.next`.
  distDir: process.env.NEXT_DIST_DIR || ".next",
};

export default nextConfig;
