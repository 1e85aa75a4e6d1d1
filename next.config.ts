import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships a wasm build that must be loaded from node_modules at run time,
  // and argon2 is a native addon: neither may be bundled.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  experimental: {
    // Request bodies over 1 MB are refused (SECURITY.md).
    serverActions: { bodySizeLimit: "1mb" },
  },
  poweredByHeader: false,
};

export default nextConfig;
