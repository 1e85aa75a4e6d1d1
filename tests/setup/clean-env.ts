// Runs before every test file, after vitest has applied `test.env`. Variables from a
// developer's shell must not send real e-mail or point tests at a real database.
for (const name of [
  "RESEND_API_KEY",
  "RESEND_BASE_URL",
  "DATABASE_URL",
  "PGLITE_DIR",
  "STRIPE_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET",
  "STRIPE_API_URL",
]) {
  delete process.env[name];
}
