import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { AppError } from "@/lib/core/errors";
import { ORG_NOT_FOUND } from "@/lib/orgs/access";
import { PERMISSIONS, refusalMessage, ROLES, type Permission, type Role } from "@/lib/shared/roles";

import { activitiesAfter, activityMark } from "../helpers/activity";
import { callApi } from "../helpers/api";
import { setupTestDatabase } from "../helpers/db";
import {
  ACTION_OPERATIONS,
  ACTORS,
  API_OPERATIONS,
  buildScene,
  expectedAnswer,
  firstMissing,
  PAGE_READS,
  ROUTE_OPERATIONS,
  seedPool,
  seedReadData,
  tokenOf,
  type ActorKind,
  type Case,
  type Pool,
  type Scene,
} from "../helpers/roles-matrix";

/*
 * The authorization matrix: every org operation (each server action's lib call,
 * the CSV export route, the pages' reads, every REST endpoint) × every kind of
 * actor. The expected answer of each cell comes from PERMISSIONS (lib/shared/roles.ts)
 * and the permissions each operation needs (tests/helpers/roles-matrix.ts):
 * a non-member or removed member gets not_found (404), a role without the
 * permission forbidden (403) with the sentence that says who may, and a role with
 * it succeeds. Each cell has an org of its own, so destructive operations never
 * see another cell's leftovers.
 */
const t = setupTestDatabase();
let pool: Pool;

beforeAll(async () => {
  pool = await seedPool(t.db);
}, 120_000);

// The pool's owner sends an invitation in many cells: its daily per-user limit is not what this file tests.
beforeEach(async () => {
  await t.db.execute(sql`delete from rate_limits where key like 'invitations:%'`);
});

/** The refusal a role gets for a case: the sentence of the first permission it lacks (lib/ checks them in this order). */
function refusalFor(role: Role, c: Pick<Case, "needs" | "refusals">): string {
  const missing = firstMissing(role, c.needs)!;
  return c.refusals?.[missing] ?? refusalMessage(missing);
}

async function settle(work: () => Promise<unknown>): Promise<{ ok: true } | { ok: false; error: unknown }> {
  try {
    const result = await work();
    // The CSV export checks before the first byte; read one chunk so a lazy check would count too.
    if (result && typeof (result as AsyncGenerator)[Symbol.asyncIterator] === "function") await (result as AsyncGenerator).next();
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Runs one cell of a lib-level operation and checks its answer against the one PERMISSIONS gives. */
async function runCell(kind: ActorKind, c: Case) {
  const scene = await buildScene(t.db, pool, kind);
  const data = c.setup ? await c.setup(scene) : undefined;
  await scene.finish();
  const mark = await activityMark(t.db);
  const outcome = await settle(() => c.run(scene, data));
  const expected = expectedAnswer(kind, c.needs);
  if (expected === "allowed") {
    expect(outcome.ok ? "succeeded" : String((outcome as { error: unknown }).error)).toBe("succeeded");
    return;
  }
  expect(outcome.ok, "refused").toBe(false);
  const error = (outcome as { error: unknown }).error;
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code, appError.message).toBe(expected);
  expect(appError.message).toBe(expected === "not_found" ? ORG_NOT_FOUND : refusalFor(kind as Role, c));
  // A refusal writes nothing: no activity entry anywhere.
  expect(await activitiesAfter(t.db, mark)).toEqual([]);
}

const cellName = (op: string, c: { label?: string; needs: readonly Permission[] }, kind: string) =>
  `${op}${c.label ? ` (${c.label})` : ""} [${c.needs.join(" + ")}] by ${kind} → ${expectedAnswer(kind as ActorKind, c.needs)}`;

describe("server actions: each lib call × each actor answers as PERMISSIONS says", () => {
  for (const [action, operation] of Object.entries(ACTION_OPERATIONS)) {
    for (const c of operation.cases) {
      for (const kind of ACTORS) {
        it(cellName(`${action} → ${operation.lib}`, c, kind), () => runCell(kind, c));
      }
    }
  }
});

describe("routes that are not actions", () => {
  for (const [route, operation] of Object.entries(ROUTE_OPERATIONS)) {
    for (const c of operation.cases) {
      for (const kind of ACTORS) {
        it(cellName(`${route} → ${operation.lib}`, c, kind), () => runCell(kind, c));
      }
    }
  }
});

describe("the pages' reads (nothing changes, so one scene per actor serves every read)", () => {
  const scenes = new Map<ActorKind, Promise<Scene>>();
  const sceneOf = (kind: ActorKind) => {
    if (!scenes.has(kind)) {
      scenes.set(
        kind,
        (async () => {
          const scene = await buildScene(t.db, pool, kind);
          await seedReadData(scene);
          await scene.finish();
          return scene;
        })(),
      );
    }
    return scenes.get(kind)!;
  };
  for (const [read, { needs, run }] of Object.entries(PAGE_READS)) {
    for (const kind of ACTORS) {
      it(cellName(read, { needs }, kind), async () => {
        const scene = await sceneOf(kind);
        const outcome = await settle(() => run(scene));
        const expected = expectedAnswer(kind, needs);
        if (expected === "allowed") {
          expect(outcome.ok ? "succeeded" : String((outcome as { error: unknown }).error)).toBe("succeeded");
          return;
        }
        const error = (outcome as { ok: false; error: AppError }).error;
        expect(error).toBeInstanceOf(AppError);
        expect(error.code, error.message).toBe(expected);
        expect(error.message).toBe(expected === "not_found" ? ORG_NOT_FOUND : refusalFor(kind as Role, { needs }));
      });
    }
  }
});

/** The API's actors: no token at all, the token of a member since removed, and a token of each role. */
const API_ACTORS = ["no token", "removed", ...ROLES] as const;
type ApiActor = (typeof API_ACTORS)[number];

function expectedStatus(kind: ApiActor, needs: readonly Permission[], success: number): number {
  if (kind === "no token" || kind === "removed") return 401;
  return expectedAnswer(kind, needs) === "allowed" ? success : 403;
}

describe("REST API: each endpoint × each token answers with its creator's role, as PERMISSIONS says", () => {
  for (const [endpoint, cases] of Object.entries(API_OPERATIONS)) {
    const [method] = endpoint.split(" ") as [string];
    for (const c of cases) {
      for (const kind of API_ACTORS) {
        const status = expectedStatus(kind, c.needs, c.status);
        it(`${endpoint}${c.label ? ` (${c.label})` : ""} [${c.needs.join(" + ")}] with ${kind === "no token" ? "no token" : `a token of ${kind === "removed" ? "a removed member" : `a ${kind}`}`} → ${status}`, async () => {
          const scene = await buildScene(t.db, pool, kind === "no token" ? "owner" : kind);
          const token = kind === "no token" ? undefined : await tokenOf(scene, scene.user, scene.role);
          const data = c.setup ? await c.setup(scene) : undefined;
          await scene.finish();
          const mark = await activityMark(t.db);
          const { path, json } = c.request(scene, data);

          const answer = await callApi(t.db, method, path, { token: token?.token, json });

          expect(answer.status, answer.text).toBe(status);
          if (status === 403) {
            expect(answer.body).toEqual({ error: { code: "forbidden", message: refusalFor(kind as Role, c) } });
          }
          if (status === 401) expect(answer.body.error.code).toBe("unauthorized");
          if (status >= 400) expect(await activitiesAfter(t.db, mark)).toEqual([]);
        });
      }
    }
  }
});

describe("docs/product.md shows the same roles table as PERMISSIONS", () => {
  const HEADER = "| permission | owner | admin | member | billing | viewer |";

  /** The table under HEADER: permission → the roles ticked (✓) in its row. */
  function documentedTable(markdown: string): Map<string, Role[]> {
    const lines = markdown.split("\n").map((line) => line.trim());
    const start = lines.indexOf(HEADER);
    expect(start, `docs/product.md has a table headed ${HEADER}`).toBeGreaterThanOrEqual(0);
    const columns = HEADER.split("|")
      .slice(1, -1)
      .map((cell) => cell.trim());
    expect(lines[start + 1]).toMatch(/^\|(\s*:?-{3,}:?\s*\|)+$/);
    const table = new Map<string, Role[]>();
    for (const line of lines.slice(start + 2)) {
      if (!line.startsWith("|")) break;
      const cells = line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim());
      expect(cells, line).toHaveLength(columns.length);
      const key = /^`([a-z_.]+)`$/.exec(cells[0]!)?.[1];
      expect(key, `the first column names a permission in backticks: ${line}`).toBeDefined();
      expect(table.has(key!), `${key} is listed once`).toBe(false);
      for (const cell of cells.slice(1)) expect(["✓", ""], `${key}: only ✓ or blank`).toContain(cell);
      table.set(key!, columns.slice(1).filter((_, i) => cells[i + 1] === "✓") as Role[]);
    }
    return table;
  }

  it("one row per permission, ✓ exactly for the roles that have it", () => {
    const markdown = readFileSync(new URL("../../docs/product.md", import.meta.url), "utf8");
    expect(
      HEADER.split("|")
        .slice(2, -1)
        .map((cell) => cell.trim()),
    ).toEqual([...ROLES]);
    const table = documentedTable(markdown);
    const expected = new Map(Object.entries(PERMISSIONS).map(([permission, { roles }]) => [permission, [...roles].sort()]));
    expect(new Map([...table].map(([permission, roles]) => [permission, [...roles].sort()]))).toEqual(expected);
  });
});
