// Where a CPU profile of `next start` (npm run bench:http -- --profile=DIR) spent its
// time, by original source file: each frame in the build's bundled chunks is mapped
// back through the chunk's source map (lib/…, components/…, a package under
// node_modules). Self time, and inclusive time (a file counted once per sample
// however deep it recurs), optionally only for files whose name contains FILTER.
//
//   npx tsx scripts/cpu-profile-sources.ts DIR/CPU.….cpuprofile [FILTER] [ROWS]
import { readFileSync } from "node:fs";
import path from "node:path";
import { SourceMapConsumer, type RawIndexMap, type RawSourceMap } from "source-map-js";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

const [file, filter = "", rowsArg = "45"] = process.argv.slice(2);
if (!file) throw new Error("usage: npx tsx scripts/cpu-profile-sources.ts PROFILE [FILTER] [ROWS]");
const profile = JSON.parse(readFileSync(file, "utf8")) as { nodes: ProfileNode[]; samples: number[] };
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

// Turbopack writes index maps (sections) for some chunks and plain maps for others.
type Mapper = (line: number, column: number) => string | undefined;
const mappers = new Map<string, Mapper | undefined>();
function mapperOf(url: string): Mapper | undefined {
  if (!url.includes(".next/server")) return undefined;
  const chunk = url.replace("file://", "");
  if (mappers.has(chunk)) return mappers.get(chunk);
  let mapper: Mapper | undefined;
  try {
    const raw = JSON.parse(readFileSync(`${chunk}.map`, "utf8")) as RawSourceMap | RawIndexMap;
    const sections =
      "sections" in raw
        ? raw.sections.map((section) => ({ offset: section.offset, map: new SourceMapConsumer(section.map as RawSourceMap) }))
        : [{ offset: { line: 0, column: 0 }, map: new SourceMapConsumer(raw) }];
    mapper = (line, column) => {
      const section = sections.findLast((s) => s.offset.line < line || (s.offset.line === line && s.offset.column <= column));
      if (!section) return undefined;
      const position = section.map.originalPositionFor({
        line: line - section.offset.line + 1,
        column: line === section.offset.line ? column - section.offset.column : column,
      });
      return position.source ?? undefined;
    };
  } catch {
    mapper = undefined;
  }
  mappers.set(chunk, mapper);
  return mapper;
}

const labels = new Map<number, string>();
function labelOf(id: number): string {
  const known = labels.get(id);
  if (known) return known;
  const frame = nodes.get(id)!.callFrame;
  const source = mapperOf(frame.url)?.(frame.lineNumber, frame.columnNumber);
  const label = source
    ? source.replace(/^.*node_modules\//, "npm:").replace(/^(\.\.\/)+/, "")
    : frame.functionName.startsWith("(")
      ? frame.functionName
      : frame.url.startsWith("node:")
        ? `node:${frame.url.slice(5).split("/")[0]}`
        : frame.url.includes("node_modules/next/")
          ? `next:${path.basename(frame.url)}`
          : frame.url
            ? path.basename(frame.url)
            : `native:${frame.functionName}`;
  labels.set(id, label);
  return label;
}

const counts = new Map<number, number>();
for (const sample of profile.samples) counts.set(sample, (counts.get(sample) ?? 0) + 1);
let total = 0;
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const [id, count] of counts) {
  if (nodes.get(id)!.callFrame.functionName === "(idle)") continue;
  total += count;
  self.set(labelOf(id), (self.get(labelOf(id)) ?? 0) + count);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const label = labelOf(at);
    if (seen.has(label)) continue;
    seen.add(label);
    inclusive.set(label, (inclusive.get(label) ?? 0) + count);
  }
}
for (const [title, table] of [
  ["self", self],
  ["inclusive", inclusive],
] as const) {
  console.log(`== ${title} (share of busy samples)`);
  [...table]
    .filter(([label]) => label.includes(filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(rowsArg))
    .forEach(([label, count]) => console.log(`${((100 * count) / total).toFixed(1).padStart(5)}%  ${label}`));
}
