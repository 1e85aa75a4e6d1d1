// `npm run dev`: makes a fresh clone run with no set-up. It writes a development
// AUTH_SECRET to .env.local (git-ignored) the first time, then starts Next, whose
// first database use opens and migrates the embedded database in .data/.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, appendFileSync } from "node:fs";
import { spawn } from "node:child_process";

const envFile = ".env.local";
const current = existsSync(envFile) ? readFileSync(envFile, "utf8") : "";
if (!process.env.AUTH_SECRET && !/^AUTH_SECRET=/m.test(current)) {
  appendFileSync(envFile, `${current && !current.endsWith("\n") ? "\n" : ""}AUTH_SECRET=${randomBytes(32).toString("base64url")}\n`);
  console.log(`Generated a development AUTH_SECRET in ${envFile}.`);
}

const child = spawn("npx", ["next", "dev", ...process.argv.slice(2)], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
