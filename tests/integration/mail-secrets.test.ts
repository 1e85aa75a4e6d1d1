import { readFileSync } from "node:fs";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { emails } from "@/db/schema";
import { confirmEmailChange, requestEmailChange } from "@/lib/auth/email-change";
import { verifyEmail } from "@/lib/auth/email-verification";
import { requestPasswordReset, resetPassword } from "@/lib/auth/password-reset";
import { inviteMembers } from "@/lib/invitations/invite";
import { viewInvitation } from "@/lib/invitations/respond";

import { rowsOf } from "../helpers/billing";
import { setupTestDatabase } from "../helpers/db";
import { invitationToken, latestEmailTo, linkToken } from "../helpers/mail";
import { actorOf, seedOrg, seedUser, strongPassword, uniqueEmail } from "../helpers/seed";

/*
 * Reset, verification and invitation links are keys to an account. The database
 * (and so every backup of it) must never hold one that works: the stored e-mail
 * shows the link with its secret redacted. The outbox page still reads the full
 * e-mail in development (tests run as development: the helpers read it that way).
 */
const t = setupTestDatabase();

/** Every row of every table whose text form contains `secret`, as "table: row". */
async function rowsHolding(secret: string): Promise<string[]> {
  const tables = rowsOf<{ name: string }>(
    await t.db.execute(
      sql`select quote_ident(table_name) as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    ),
  );
  const found: string[] = [];
  for (const { name } of tables) {
    const rows = rowsOf<{ row: string }>(
      await t.db.execute(sql`select t::text as row from ${sql.raw(name)} t where strpos(t::text, ${secret}) > 0`),
    );
    for (const { row } of rows) found.push(`${name}: ${row.slice(0, 200)}`);
  }
  return found;
}

describe("e-mails with one-time links are stored without a usable secret", () => {
  it("a password reset e-mail: the token is in no table, and the link still works", async () => {
    const user = await seedUser(t.db);
    await requestPasswordReset(t.db, { email: user.email });
    const token = linkToken(await latestEmailTo(t.db, user.email, "reset-password"), "/reset-password/");

    expect(await rowsHolding(token)).toEqual([]);
    const [stored] = await t.db
      .select()
      .from(emails)
      .where(and(eq(emails.to, user.email), eq(emails.template, "reset-password")));
    expect(stored!.text).toContain("/reset-password/[redacted]");
    expect(stored!.html).toContain("/reset-password/[redacted]");
    // Positive control: the e-mail that went out carried a working link.
    await expect(resetPassword(t.db, { token, password: strongPassword() })).resolves.toMatchObject({ email: user.email });
  });

  it("a verification e-mail: the token is in no table, and the link still works", async () => {
    const user = await seedUser(t.db);
    const token = linkToken(await latestEmailTo(t.db, user.email, "verify-email"), "/verify-email/");
    expect(await rowsHolding(token)).toEqual([]);
    expect(await verifyEmail(t.db, token)).toBe("verified");
  });

  it("an e-mail change link: the token is in no table, and the link still works", async () => {
    const user = await seedUser(t.db);
    const newEmail = uniqueEmail("moved");
    await requestEmailChange(t.db, { userId: user.id }, { newEmail, currentPassword: user.password });
    const token = linkToken(await latestEmailTo(t.db, newEmail, "confirm-email-change"), "/confirm-email/");
    expect(await rowsHolding(token)).toEqual([]);
    const [stored] = await t.db
      .select()
      .from(emails)
      .where(and(eq(emails.to, newEmail), eq(emails.template, "confirm-email-change")));
    expect(stored!.text).toContain("/confirm-email/[redacted]");
    await expect(confirmEmailChange(t.db, { token })).resolves.toMatchObject({ email: newEmail });
  });

  it("an invitation e-mail: the token is in no table, and the link still works", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    const invitee = uniqueEmail("invitee");
    await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: invitee });
    const token = await invitationToken(t.db, invitee);
    expect(await rowsHolding(token)).toEqual([]);
    expect((await viewInvitation(t.db, token)).state).toBe("pending");
  });
});

describe("the migration that introduced redaction", () => {
  it("redacts the links of e-mails stored before it, and leaves other e-mails alone", async () => {
    const to = uniqueEmail("old-mail");
    const token = "A".repeat(43);
    const link = `http://localhost:3000/invitations/${token}`;
    await t.db.insert(emails).values([
      {
        template: "invitation",
        to,
        subject: "Join acme",
        html: `<a href="${link}">Join</a>`,
        text: `Join: ${link}`,
        transport: "outbox",
        status: "sent",
      },
      {
        template: "organization-deleted",
        to,
        subject: "acme was deleted",
        html: '<a href="http://localhost:3000/">Console</a>',
        text: "Console: http://localhost:3000/",
        transport: "outbox",
        status: "sent",
      },
    ]);
    const migration = readFileSync(new URL("../../db/migrations/0011_emails_sealed_body_apps_host_label.sql", import.meta.url), "utf8");
    const backfill = migration.split("--> statement-breakpoint").find((statement) => statement.includes("[redacted]"))!;
    await t.db.execute(sql.raw(backfill));

    expect(await rowsHolding(token)).toEqual([]);
    const rows = await t.db.select().from(emails).where(eq(emails.to, to));
    const invitation = rows.find((row) => row.template === "invitation")!;
    expect(invitation.text).toBe("Join: http://localhost:3000/invitations/[redacted]");
    expect(invitation.html).toBe('<a href="http://localhost:3000/invitations/[redacted]">Join</a>');
    expect(rows.find((row) => row.template === "organization-deleted")!.text).toBe("Console: http://localhost:3000/");
  });
});
