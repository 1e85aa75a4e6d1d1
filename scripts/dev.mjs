// `npm run dev`: makes a fresh clone run with no set-up. It writes a development
// AUTH_SECRET to .env.local (git-ignored) the first time, then starts Next, whose
// first database use opens and migrates the embedded database in .data/.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";

const envFile = ".env.local";
// Secrets generated once per clone, for development only (production sets its own).
for (const name of ["AUTH_SECRET", "SECRETS_KEY"]) {
  const text = existsSync(envFile) ? readFileSync(envFile, "utf8") : "";
  if (process.env[name] || new RegExp(`^${name}=`, "m").test(text)) continue;
  const value = name === "SECRETS_KEY" ? randomBytes(32).toString("base64") : randomBytes(32).toString("base64url");
  appendFileSync(envFile, `${text && !text.endsWith("\n") ? "\n" : ""}${name}=${value}\n`);
  console.log(`Generated a development ${name} in ${envFile}.`);
}

const child = spawn("npx", ["next", "dev", ...process.argv.slice(2)], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
