/**
 * The fake Stripe the Stripe-mode e2e server talks to (playwright.config.ts starts
 * it): the API calls lib/billing/stripe.ts makes, plus a hosted checkout page that
 * delivers a signed webhook to the app, as Stripe does, before redirecting back.
 */
import { startFakeStripe } from "../tests/helpers/fake-stripe";

const port = Number(process.env.FAKE_STRIPE_PORT);
const webhookUrl = process.env.FAKE_STRIPE_WEBHOOK_URL;
const webhookSecret = process.env.FAKE_STRIPE_WEBHOOK_SECRET;
if (!port || !webhookUrl || !webhookSecret)
  throw new Error("FAKE_STRIPE_PORT, FAKE_STRIPE_WEBHOOK_URL and FAKE_STRIPE_WEBHOOK_SECRET are required");

void startFakeStripe({ port, hosted: { webhookUrl, webhookSecret } }).then((fake) => console.log(`fake Stripe on ${fake.url}`));
