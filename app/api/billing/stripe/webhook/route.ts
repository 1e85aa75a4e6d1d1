import { getDb } from "@/db";
import { handleStripeWebhook, readWebhookPayload, stripeWebhookConfig } from "@/lib/billing/stripe-webhook";
import { isAppError } from "@/lib/core/errors";

export const dynamic = "force-dynamic";

/**
 * Stripe's webhook endpoint. The raw body is what Stripe signed, so it is read
 * as text and handed over untouched. 400 for a bad signature (Stripe does not
 * retry it); a server error makes Stripe deliver again, which is safe. Bodies
 * over 64 KB are refused (413) by their Content-Length or as they stream in.
 */
export async function POST(request: Request) {
  const config = stripeWebhookConfig();
  if (!config) return Response.json({ error: "Stripe is not configured on this server." }, { status: 404 });
  // Public and unauthenticated until the signature is checked: cap the body before reading it.
  const body = await readWebhookPayload(request);
  if (!body.ok) return Response.json({ error: body.error }, { status: body.status });
  const payload = body.payload;
  try {
    const outcome = await handleStripeWebhook(await getDb(), { payload, signature: request.headers.get("stripe-signature") }, config);
    return Response.json({ received: true, outcome });
  } catch (error) {
    if (isAppError(error) && error.code === "unauthorized") return Response.json({ error: error.message }, { status: 400 });
    throw error;
  }
}
