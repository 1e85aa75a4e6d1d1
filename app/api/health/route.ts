/** Liveness: the process serves requests. Touches nothing else, so a database outage never restarts the app. */
export function GET(): Response {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
