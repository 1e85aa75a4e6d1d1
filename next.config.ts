import type { NextConfig } from "next";

import { NO_REFERRER, SECRET_LINK_PATHS, STATIC_SECURITY_HEADERS } from "./lib/next/security-headers";

const nextConfig: NextConfig = {
  // PGlite ships a wasm build that must be loaded from node_modules at run time,
  // and argon2 is a native addon: neither may be bundled.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  experimental: {
    // Request bodies over 1 MB are refused (docs/security.md).
    serverActions: { bodySizeLimit: "1mb" },
  },
  poweredByHeader: false,
  // Security headers on every answer; the Content-Security-Policy (with its nonce) and HSTS come from proxy.ts.
  async headers() {
    return [
      { source: "/:path*", headers: STATIC_SECURITY_HEADERS },
      // Later rules win: links holding a secret never leak it as a referrer.
      ...SECRET_LINK_PATHS.map((source) => ({ source, headers: [NO_REFERRER] })),
    ];
  },
};

export default nextConfig;
