/** An e-mail's delivery state in words, for the development outbox: "sent", "retrying (2 attempts)", "dead after 10 attempts". */
export function describeDelivery(email: { status: "queued" | "sent" | "failed"; attempts: number }): string {
  const attempts = `${email.attempts} attempt${email.attempts === 1 ? "" : "s"}`;
  if (email.status === "sent") return email.attempts > 1 ? `sent after ${attempts}` : "sent";
  if (email.status === "failed") return `dead after ${attempts}`;
  return email.attempts === 0 ? "queued" : `retrying (${attempts} so far)`;
}
