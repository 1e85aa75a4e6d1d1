// Where a CPU profile (node --cpu-prof) spent its time: self time by part of the
// stack (React rendering, Next.js, the database drivers, the app's own code, Node)
// and the functions that cost the most. Used by `npm run bench:http -- --profile=DIR`.
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const PARTS: [string, (url: string, fn: string) => boolean][] = [
  ["idle", (_url, fn) => fn === "(idle)"],
  ["garbage collection", (_url, fn) => fn === "(garbage collector)"],
  ["V8 (program, compiling)", (url, fn) => fn === "(program)" || (!url && fn.startsWith("("))],
  ["React (render to HTML and to the RSC payload)", (url) => /react-dom|react-server-dom|app-page.*runtime|server\.edge|react\./.test(url)],
  ["postgres.js driver", (url) => url.includes("node_modules/postgres/")],
  ["Drizzle ORM", (url) => url.includes("drizzle-orm")],
  ["next-auth / jose (session cookie)", (url) => /next-auth|@auth\/core|jose/.test(url)],
  ["Next.js server", (url) => url.includes("node_modules/next/")],
  ["app code and the libraries bundled with it (.next/server: Drizzle, postgres.js, next-auth)", (url) => url.includes(".next/server")],
  ["Node.js core and native code (http, streams, buffers, crypto)", (url) => url.startsWith("node:") || !url],
];

export function summarizeCpuProfile(file: string, top = 12): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const parts = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const [id, micros] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const part = PARTS.find(([, match]) => match(url, functionName))?.[0] ?? "other";
    parts.set(part, (parts.get(part) ?? 0) + micros);
    if (part !== "idle") total += micros;
    const where = url ? `${url.replace(/^.*node_modules\//, "").replace(/^.*\.next\//, ".next/")}:${lineNumber + 1}` : "";
    const key = `${functionName || "(anonymous)"} ${where}`.trim();
    functions.set(key, (functions.get(key) ?? 0) + micros);
  }
  const pct = (micros: number) => `${((100 * micros) / total).toFixed(1)}%`;
  const lines = [
    `busy ${(total / 1e6).toFixed(1)} s of CPU (idle ${((parts.get("idle") ?? 0) / 1e6).toFixed(1)} s)`,
    "",
    "| part | self time | share |",
    "|---|---:|---:|",
  ];
  for (const [part, micros] of [...parts].filter(([part]) => part !== "idle").sort((a, b) => b[1] - a[1]))
    lines.push(`| ${part} | ${(micros / 1e6).toFixed(2)} s | ${pct(micros)} |`);
  lines.push("", "Top functions (self time):");
  for (const [name, micros] of [...functions]
    .filter(([name]) => !name.startsWith("(idle)"))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top))
    lines.push(`  ${pct(micros).padStart(6)}  ${name}`);
  return lines.join("\n");
}

if (process.argv[1]?.endsWith("cpu-profile-summary.ts") && process.argv[2]) console.log(summarizeCpuProfile(process.argv[2]));
