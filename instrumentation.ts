/**
 * Runs once when the server starts. Records each request's socket address in a
 * private header (lib/socket-address.ts), the only way pages, actions and route
 * handlers can learn the real client address (lib/client-ip.ts).
 */
export async function register(): Promise<void> {
  // Next sets NEXT_RUNTIME for each bundle; the hook needs Node's http server.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installSocketAddressHeader } = await import("./lib/core/socket-address");
    installSocketAddressHeader();
  }
}
