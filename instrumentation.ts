/** Runs once when a server instance starts: says what in the configuration is risky. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  try {
    const { startupWarnings } = await import("./lib/startup-checks");
    for (const warning of startupWarnings()) console.warn(`[config] ${warning}`);
  } catch (error) {
    // An invalid environment is reported by the first request that needs it, with the details.
    console.warn(`[config] could not check the configuration at start-up: ${error instanceof Error ? error.message.split("\n")[0] : error}`);
  }
}
