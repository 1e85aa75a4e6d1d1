// The data of `npm run bench:http`: one organization of 10,001 members and
// 1,000,000 activity entries, shaped as the domain functions write them.
//
// The owner signs up and creates the organization through lib/ (so its password
// hash, verified address, membership and first entry are the real ones); the
// 10,000 other members and the history are then written in bulk with
// INSERT … SELECT generate_series, with the columns recordActivity,
// acceptInvitation, inviteMembers, createApp, … would have written.
import { sql } from "drizzle-orm";

import type { Db } from "@/db";
import { seedAccount } from "@/lib/auth/seed-account";
import { createOrganization } from "@/lib/orgs/organizations";

export const BENCH_ORG = "bench";
export const OWNER = { name: "Bench Owner", email: "owner@bench.test", password: "bench passphrase long enough 2026" };
export const MEMBERS = 10_000;
export const ENTRIES = 1_000_000;
const BATCH = 250_000;

const raw = (value: number) => sql.raw(String(value));

/** Member n's user id: readable, and stable from one run to the next. */
const memberId = (n: string) => sql.raw(`('00000000-0000-4000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`);

export async function seedBench(db: Db): Promise<{ ownerId: string; orgId: string }> {
  const owner = await seedAccount(db, { ...OWNER, verified: true }, { ip: "127.0.0.1" });
  const actor = { userId: owner.id, name: OWNER.name, email: OWNER.email, ip: "127.0.0.1", userAgent: "bench" };
  const org = await createOrganization(db, actor, { name: BENCH_ORG });
  // What support's override does for a customer past every plan's seats (organizations.max_members is null).
  await db.execute(sql`update organizations set plan = 'enterprise' where id = ${org.id}`);

  // Members joined over the last 10,000 hours; mostly members, some admins, viewers and billing managers.
  await db.execute(sql`
    insert into users (id, email, name, password_hash, email_verified_at, created_at)
    select ${memberId("g")}, 'member-' || g || '@bench.test', 'Member ' || g,
      (select password_hash from users where id = ${owner.id}), now() - make_interval(hours => ${raw(MEMBERS + 1)} - g),
      now() - make_interval(hours => ${raw(MEMBERS + 1)} - g)
    from generate_series(1, ${raw(MEMBERS)}) g`);
  await db.execute(sql`
    insert into memberships (org_id, user_id, joined_at, role)
    select ${org.id}::uuid, ${memberId("g")}, now() - make_interval(hours => ${raw(MEMBERS + 1)} - g),
      (case when g % 500 = 0 then 'admin' when g % 11 = 0 then 'billing' when g % 7 = 0 then 'viewer' else 'member' end)::member_role
    from generate_series(1, ${raw(MEMBERS)}) g`);

  // The history, oldest first, 30 s apart: each member's invitation and join, then
  // everyday changes by members (apps, secrets, tokens, roles), as lib/ records them.
  const invitations = 2 * MEMBERS;
  for (let start = 1; start <= ENTRIES; start += BATCH) {
    const end = Math.min(ENTRIES, start + BATCH - 1);
    await db.execute(sql`
      insert into activities (org_id, type, actor_user_id, actor_name, actor_email, target_type, target_id, target_label, metadata, ip, user_agent, created_at)
      select ${org.id}::uuid, t.type, e.actor, e.actor_name, e.actor_email, e.target_type, e.target_id, e.target_label, e.metadata,
        '10.0.' || (g % 250) || '.' || (g % 199), 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36',
        now() - make_interval(secs => (${raw(ENTRIES)} - g) * 30 + 60)
      from generate_series(${raw(start)}, ${raw(end)}) g,
        lateral (select 1 + (g % ${raw(MEMBERS)}) as m, (g / 2) as invited) n,
        lateral (
          select
            case
              when g <= ${raw(invitations)} and g % 2 = 1 then 'invitation.sent'
              when g <= ${raw(invitations)} then 'member.joined'
              else (array['app.created','app.updated','secret.created','secret.updated','secret.revealed','secret.revealed',
                          'api_token.created','member.role_changed','app.deleted','secret.deleted'])[1 + (g % 10)]
            end as type
        ) t,
        lateral (select case when t.type in ('invitation.sent', 'member.joined') then 1 + (n.invited % ${raw(MEMBERS)}) else n.m end as s) subject,
        lateral (
          select
            case when t.type = 'invitation.sent' then ${owner.id}::uuid else ${memberId("subject.s")} end as actor,
            case when t.type = 'invitation.sent' then ${OWNER.name} else 'Member ' || subject.s end as actor_name,
            case when t.type = 'invitation.sent' then ${OWNER.email} else 'member-' || subject.s || '@bench.test' end as actor_email,
            case split_part(t.type, '.', 1) when 'app' then 'app' when 'secret' then 'secret' when 'api_token' then 'api_token' when 'member' then 'user' else 'invitation' end as target_type,
            case
              when t.type like 'invitation.%' then gen_random_uuid()::text
              when t.type like 'member.%' then ${memberId("subject.s")}::text
              else gen_random_uuid()::text
            end as target_id,
            case split_part(t.type, '.', 1)
              when 'app' then 'app-' || (g % 997)
              when 'secret' then 'SECRET_' || (g % 991)
              when 'api_token' then 'ci-token-' || (g % 97)
              else 'member-' || subject.s || '@bench.test'
            end as target_label,
            case t.type
              when 'invitation.sent' then '{"role":"member"}'::jsonb
              when 'member.joined' then jsonb_build_object('invitationId', gen_random_uuid(), 'invitedBy', ${OWNER.name}::text, 'role', 'member')
              when 'member.role_changed' then jsonb_build_object('name', 'Member ' || subject.s, 'from', 'member', 'to', 'viewer')
              when 'app.updated' then jsonb_build_object('from', 'app-' || (g % 997), 'to', 'app-' || (g % 997) || '-v2')
              when 'secret.updated' then '{"valueChanged":true}'::jsonb
              else '{}'::jsonb
            end as metadata
        ) e`);
  }
  await db.execute(sql`analyze`);
  return { ownerId: owner.id, orgId: org.id };
}
