import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { API_ENDPOINTS } from "@/lib/api/endpoints/registry";
import { PERMISSIONS } from "@/lib/shared/roles";

import { ACTION_OPERATIONS, API_OPERATIONS, OUT_OF_SCOPE_ACTIONS, PAGE_READS, ROUTE_OPERATIONS } from "../helpers/roles-matrix";

/*
 * The authorization matrix (tests/integration/roles-matrix.test.ts) is only as good
 * as its tables: every server action must be in it (or listed as out of scope with
 * a reason), each with the lib function it really calls, and every REST endpoint.
 * A new action or endpoint fails here until it gets its row.
 */
const actionsDir = path.resolve("actions");

/** Every `export async function NAME` of actions/*.ts, with its body (up to the next export). */
function exportedActions(): Map<string, { file: string; body: string }> {
  const found = new Map<string, { file: string; body: string }>();
  for (const file of readdirSync(actionsDir)
    .filter((name) => name.endsWith(".ts"))
    .sort()) {
    const source = readFileSync(path.join(actionsDir, file), "utf8");
    const starts = [...source.matchAll(/^export (?:async )?function (\w+)/gm)];
    starts.forEach((match, i) => {
      const body = source.slice(match.index, starts[i + 1]?.index ?? source.length);
      expect(match[0], `${file}: ${match[1]} is a server action, so async`).toMatch(/^export async function/);
      expect(found.has(match[1]!), `${match[1]} is exported once`).toBe(false);
      found.set(match[1]!, { file, body });
    });
  }
  return found;
}

describe("the roles matrix covers every server action", () => {
  const actions = exportedActions();

  it("finds the actions (the parser works)", () => {
    expect(actions.size).toBeGreaterThan(30);
    expect(actions.get("inviteMembersAction")?.file).toBe("invitations.ts");
    expect(actions.get("changeMemberRoleAction")?.file).toBe("members.ts");
  });

  it("every exported action is in the matrix or out of scope with a reason, never both", () => {
    const inMatrix = Object.keys(ACTION_OPERATIONS);
    const outOfScope = Object.keys(OUT_OF_SCOPE_ACTIONS);
    expect(
      inMatrix.filter((name) => outOfScope.includes(name)),
      "in both lists",
    ).toEqual([]);
    expect([...inMatrix, ...outOfScope].sort()).toEqual([...actions.keys()].sort());
    for (const [name, reason] of Object.entries(OUT_OF_SCOPE_ACTIONS)) expect(reason.length, `${name}: a reason`).toBeGreaterThan(10);
  });

  it("each action's row calls the lib function the action calls", () => {
    for (const [name, operation] of Object.entries(ACTION_OPERATIONS)) {
      const action = actions.get(name)!;
      expect(action.body, `${action.file}: ${name} calls ${operation.lib}(`).toMatch(new RegExp(`\\b${operation.lib}\\(`));
      expect(operation.cases.length, name).toBeGreaterThan(0);
    }
  });

  it("the route row names the lib function its route file calls", () => {
    for (const [route, operation] of Object.entries(ROUTE_OPERATIONS)) {
      const file = path.resolve("app/(console)", route.replace(/^GET \//, ""), "route.ts");
      expect(readFileSync(file, "utf8"), route).toMatch(new RegExp(`\\b${operation.lib}\\(`));
    }
  });

  it("every permission a row needs exists, and every permission is exercised by some row", () => {
    const needed = [
      ...Object.values(ACTION_OPERATIONS).flatMap((operation) => operation.cases.flatMap((c) => c.needs)),
      ...Object.values(ROUTE_OPERATIONS).flatMap((operation) => operation.cases.flatMap((c) => c.needs)),
      ...Object.values(PAGE_READS).flatMap((read) => read.needs),
      ...Object.values(API_OPERATIONS).flatMap((cases) => cases.flatMap((c) => c.needs)),
    ];
    for (const permission of needed) expect(Object.keys(PERMISSIONS)).toContain(permission);
    expect([...new Set(needed)].sort()).toEqual(Object.keys(PERMISSIONS).sort());
  });
});

describe("the roles matrix covers every REST endpoint", () => {
  it("one entry per endpoint of API_ENDPOINTS, each with at least one case", () => {
    expect(Object.keys(API_OPERATIONS).sort()).toEqual(API_ENDPOINTS.map((endpoint) => `${endpoint.method} ${endpoint.path}`).sort());
    for (const [endpoint, cases] of Object.entries(API_OPERATIONS)) expect(cases.length, endpoint).toBeGreaterThan(0);
  });
});
