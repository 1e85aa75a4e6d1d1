/**
 * Runs once when a server instance starts. Records each request's socket
 * address in a private header (lib/core/socket-address.ts), the only way pages,
 * actions and route handlers can learn the real client address
 * (lib/core/client-ip.ts); then says what in the configuration is risky, and
 * starts the job workers (lib/jobs/in-process.ts).
 */
export async function register(): Promise<void> {
  // Next sets NEXT_RUNTIME for each bundle; the hook needs Node's http server.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installSocketAddressHeader } = await import("./lib/core/socket-address");
  installSocketAddressHeader();
  try {
    const { startupWarnings } = await import("./lib/core/startup-checks");
    for (const warning of startupWarnings()) console.warn(`[config] ${warning}`);
  } catch (error) {
    // An invalid environment is reported by the first request that needs it, with the details.
    console.warn(
      `[config] could not check the configuration at start-up: ${error instanceof Error ? error.message.split("\n")[0] : error}`,
    );
    return;
  }
  // The job workers run in the web process unless JOBS_IN_PROCESS=false (then `npm run worker` runs them).
  // Not during `next build`, which also loads this file.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startInProcessWorkers, handleShutdownSignals } = await import("./lib/jobs/in-process");
  if (process.env.NEXT_MANUAL_SIG_HANDLE === "true") handleShutdownSignals();
  void startInProcessWorkers();
}
