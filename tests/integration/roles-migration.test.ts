import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql, type SQL } from "drizzle-orm";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { requireMembership } from "@/lib/orgs/access";
import { leaveOrganization } from "@/lib/orgs/memberships";

import { rowsOf } from "../helpers/billing";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { actorOf } from "../helpers/seed";

/*
 * 0012_typed_plans_and_roles on a database holding data from before roles: the
 * migrations up to 0011 run, orgs with several members, invitations in every
 * state, checkouts and activity are written with raw SQL (as the app of that time
 * wrote them), then 0012 runs through the same migrator the app uses. Every member
 * becomes an owner (nobody loses a power), every invitation is for a member, and
 * nothing is lost or changed besides.
 */
const MIGRATIONS = path.resolve("db/migrations");
const ROLES_MIGRATION = "0012_typed_plans_and_roles";

interface JournalEntry {
  idx: number;
  tag: string;
  when: number;
}

/** A migrations folder holding the real migrations up to `lastTag` (and a journal that ends there). */
function folderUpTo(lastTag: string): string {
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS, "meta/_journal.json"), "utf8")) as { entries: JournalEntry[] };
  const last = journal.entries.findIndex((entry) => entry.tag === lastTag);
  if (last < 0) throw new Error(`no migration ${lastTag}`);
  const dir = mkdtempSync(path.join(tmpdir(), "migrations-"));
  mkdirSync(path.join(dir, "meta"));
  const entries = journal.entries.slice(0, last + 1);
  for (const entry of entries) copyFileSync(path.join(MIGRATIONS, `${entry.tag}.sql`), path.join(dir, `${entry.tag}.sql`));
  writeFileSync(path.join(dir, "meta/_journal.json"), JSON.stringify({ ...journal, entries }));
  return dir;
}

let t: TestDatabase;
const folders: string[] = [];

async function migrateTo(lastTag: string) {
  const migrationsFolder = folderUpTo(lastTag);
  folders.push(migrationsFolder);
  if (t.kind === "pglite") await migratePglite(t.db as never, { migrationsFolder });
  else await migratePostgres(t.db as never, { migrationsFolder });
}

async function rows<T>(query: SQL): Promise<T[]> {
  return rowsOf<T>(await t.db.execute(query));
}

beforeAll(async () => {
  // On PostgreSQL a database of its own, created without any migration.
  t = await createTestDatabase({ migrate: false });
});

afterAll(async () => {
  await t?.dispose();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const ids = {
  ada: "00000000-0000-4000-8000-00000000000a",
  bob: "00000000-0000-4000-8000-00000000000b",
  cyd: "00000000-0000-4000-8000-00000000000c",
  dee: "00000000-0000-4000-8000-00000000000d",
  eve: "00000000-0000-4000-8000-00000000000e",
  acme: "00000000-0000-4000-8000-0000000000a1",
  beta: "00000000-0000-4000-8000-0000000000b1",
  solo: "00000000-0000-4000-8000-0000000000c1",
};

/** Everything the data from before holds, as text: the same query before and after (without the new columns). */
const snapshot = async () => ({
  users: await rows(sql`select id, email, name, password_hash, max_orgs, last_org_id from users order by id`),
  organizations: await rows(
    sql`select id, name, plan::text as plan, max_members, created_at::text as created_at from organizations order by id`,
  ),
  memberships: await rows(sql`select org_id, user_id, joined_at::text as joined_at from memberships order by org_id, user_id`),
  invitations: await rows(
    sql`select id, org_id, email, token_hash, invited_by, invited_by_name, status::text as status, expires_at::text as expires_at, send_count from invitations order by id`,
  ),
  checkouts: await rows(
    sql`select id, org_id, plan::text as plan, provider, status::text as status, started_by_name from checkouts order by id`,
  ),
  activities: await rows(sql`select id, org_id, type, actor_name, metadata from activities order by id`),
});

describe(`${ROLES_MIGRATION} on data from before roles`, () => {
  let before: Awaited<ReturnType<typeof snapshot>>;

  it("applies the migrations before roles and takes the data of that time", async () => {
    await migrateTo("0011_emails_sealed_body_apps_host_label");
    const columns = await rows<{ table_name: string }>(
      sql`select table_name from information_schema.columns where column_name = 'role' and table_name in ('memberships', 'invitations')`,
    );
    expect(columns, "no role column yet").toEqual([]);

    await t.db.execute(sql`
      insert into users (id, email, name, password_hash) values
        (${ids.ada}, 'ada@example.test', 'Ada', 'hash-a'),
        (${ids.bob}, 'bob@example.test', 'Bob', 'hash-b'),
        (${ids.cyd}, 'cyd@example.test', 'Cyd', 'hash-c'),
        (${ids.dee}, 'dee@example.test', 'Dee', 'hash-d'),
        (${ids.eve}, 'eve@example.test', 'Eve', 'hash-e')`);
    await t.db.execute(sql`
      insert into organizations (id, name, plan, max_members) values
        (${ids.acme}, 'acme', 'starter', null),
        (${ids.beta}, 'beta', 'pro', null),
        (${ids.solo}, 'solo', 'enterprise', 40)`);
    await t.db.execute(sql`
      insert into memberships (org_id, user_id, joined_at) values
        (${ids.acme}, ${ids.ada}, '2026-01-01T00:00:00Z'),
        (${ids.acme}, ${ids.bob}, '2026-01-02T00:00:00Z'),
        (${ids.acme}, ${ids.cyd}, '2026-01-03T00:00:00Z'),
        (${ids.beta}, ${ids.bob}, '2026-02-01T00:00:00Z'),
        (${ids.beta}, ${ids.dee}, '2026-02-02T00:00:00Z'),
        (${ids.beta}, ${ids.eve}, '2026-02-03T00:00:00Z'),
        (${ids.solo}, ${ids.eve}, '2026-03-01T00:00:00Z')`);
    await t.db.execute(sql`
      insert into invitations (org_id, email, token_hash, invited_by, invited_by_name, status, expires_at, send_count) values
        (${ids.acme}, 'new1@example.test', 'h1', ${ids.ada}, 'Ada', 'pending', now() + interval '7 days', 1),
        (${ids.acme}, 'new2@example.test', 'h2', ${ids.bob}, 'Bob', 'pending', now() - interval '1 day', 3),
        (${ids.acme}, 'cyd@example.test', 'h3', ${ids.ada}, 'Ada', 'accepted', now() + interval '1 day', 1),
        (${ids.beta}, 'gone@example.test', 'h4', ${ids.bob}, 'Bob', 'removed', now() + interval '1 day', 1),
        (${ids.beta}, 'nope@example.test', 'h5', ${ids.dee}, 'Dee', 'declined', now() + interval '1 day', 2),
        (${ids.solo}, 'later@example.test', 'h6', ${ids.eve}, 'Eve', 'pending', now() + interval '3 days', 1)`);
    await t.db.execute(sql`
      insert into checkouts (org_id, plan, provider, status, started_by_name, started_by_email, expires_at) values
        (${ids.beta}, 'pro', 'test', 'completed', 'Bob', 'bob@example.test', now() + interval '1 day'),
        (${ids.acme}, null, 'test', 'open', 'Ada', 'ada@example.test', now() + interval '1 day'),
        (${ids.acme}, 'scale', 'stripe', 'expired', 'Ada', 'ada@example.test', now() - interval '1 day')`);
    await t.db.execute(sql`
      insert into activities (org_id, type, actor_user_id, actor_name, metadata) values
        (${ids.acme}, 'organization.created', ${ids.ada}, 'Ada', '{}'),
        (${ids.beta}, 'member.joined', ${ids.dee}, 'Dee', '{"invitedBy":"Bob"}')`);
    before = await snapshot();
    expect(before.memberships).toHaveLength(7);
    expect(before.invitations).toHaveLength(6);
  });

  it(`${ROLES_MIGRATION}: every member is an owner, every invitation is for a member, nothing else changes`, async () => {
    await migrateTo(ROLES_MIGRATION);

    const roles = await rows<{ org_id: string; user_id: string; role: string }>(
      sql`select org_id, user_id, role::text as role from memberships order by org_id, user_id`,
    );
    expect(roles).toHaveLength(before.memberships.length);
    expect(roles.every((row) => row.role === "owner")).toBe(true);
    const invitationRoles = await rows<{ status: string; role: string }>(
      sql`select status::text as status, role::text as role from invitations order by id`,
    );
    expect(invitationRoles).toHaveLength(before.invitations.length);
    expect(new Set(invitationRoles.map((row) => row.role))).toEqual(new Set(["member"]));

    // Nothing lost, nothing else changed: every row and value of before is still there.
    expect(await snapshot()).toEqual(before);
    const counts = await rows<{ orgs: number; members: number; pending: number }>(
      sql`select (select count(*)::int from organizations) as orgs, (select count(*)::int from memberships) as members,
                 (select count(*)::int from invitations where status = 'pending') as pending`,
    );
    expect(counts).toEqual([{ orgs: 3, members: 7, pending: 3 }]);
  });

  it("from then on a new membership or invitation is a member unless said; plans and roles are closed vocabularies", async () => {
    const types = await rows<{ table_name: string; column_name: string; udt_name: string; column_default: string }>(sql`
      select table_name, column_name, udt_name, column_default from information_schema.columns
      where (table_name, column_name) in (('memberships', 'role'), ('invitations', 'role'), ('organizations', 'plan'), ('checkouts', 'plan'), ('checkouts', 'status'))
      order by table_name, column_name`);
    expect(
      types.map(({ table_name, column_name, udt_name, column_default }) => [`${table_name}.${column_name}`, udt_name, column_default]),
    ).toEqual([
      ["checkouts.plan", "plan_id", null],
      ["checkouts.status", "checkout_status", "'open'::checkout_status"],
      ["invitations.role", "member_role", "'member'::member_role"],
      ["memberships.role", "member_role", "'member'::member_role"],
      ["organizations.plan", "plan_id", "'starter'::plan_id"],
    ]);
    await t.db.execute(sql`insert into memberships (org_id, user_id) values (${ids.solo}, ${ids.ada})`);
    const [joined] = await rows<{ role: string }>(
      sql`select role::text as role from memberships where org_id = ${ids.solo} and user_id = ${ids.ada}`,
    );
    expect(joined?.role).toBe("member");
    await expect(t.db.execute(sql`update memberships set role = 'superuser' where org_id = ${ids.solo}`)).rejects.toThrow();
    await expect(t.db.execute(sql`update organizations set plan = 'legacy' where id = ${ids.solo}`)).rejects.toThrow();
  });

  it("with every later migration applied, the former members act as owners: any of them may leave while another owner stays", async () => {
    await t.database.migrate();
    for (const [userId, orgId] of [
      [ids.ada, ids.acme],
      [ids.cyd, ids.acme],
      [ids.eve, ids.beta],
    ] as const) {
      expect((await requireMembership(t.db, userId, { id: orgId })).role).toBe("owner");
    }
    const cyd = { id: ids.cyd, name: "Cyd", email: "cyd@example.test" };
    await leaveOrganization(t.db, actorOf(cyd), { org: { id: ids.acme } });
    const [left] = await rows<{ members: number; owners: number }>(
      sql`select count(*)::int as members, count(*) filter (where role = 'owner')::int as owners from memberships where org_id = ${ids.acme}`,
    );
    expect(left).toEqual({ members: 2, owners: 2 });
  });
});
