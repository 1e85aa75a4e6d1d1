import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { invitations } from "@/db/schema";
import { changeName } from "@/lib/auth/account-settings";
import { signUp } from "@/lib/auth/sign-up";
import { inviteMembers } from "@/lib/invitations/invite";
import { signUpFromInvitation } from "@/lib/invitations/respond";

import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { invitationToken } from "../helpers/mail";
import { actorOf, findUserByEmail, seedOrg, seedUser, strongPassword, uniqueEmail, uniqueIp } from "../helpers/seed";

const t = setupTestDatabase();

// A name that shows as "Adaexe.png" (right-to-left override); one hiding a zero-width space.
const BAD_NAMES = [
  ["a right-to-left override", "Ada\u202Egnp.exe"],
  ["a zero-width space", "Ad\u200Ba"],
] as const;

async function invitedToken() {
  const owner = await seedUser(t.db, { name: "Olga Owner" });
  const org = await seedOrg(t.db, owner);
  const email = uniqueEmail("newcomer");
  await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: email });
  const [row] = await t.db
    .select()
    .from(invitations)
    .where(and(eq(invitations.orgId, org.id), eq(invitations.email, email)));
  if (!row) throw new Error("no invitation row");
  return { email, token: await invitationToken(t.db, email) };
}

describe("display names refuse bidi overrides and zero-width characters, everywhere a name is set", () => {
  it.each(BAD_NAMES)("sign-up refuses a name with %s and creates nobody", async (_label, name) => {
    const email = uniqueEmail();
    const error = await expectAppError(signUp(t.db, { name, email, password: strongPassword() }, { ip: uniqueIp() }), "validation");
    expect(error.fieldErrors.name?.[0]).toMatch(/invisible/);
    expect(await findUserByEmail(t.db, email)).toBeUndefined();
  });

  it.each(BAD_NAMES)("invitation sign-up refuses a name with %s and creates nobody", async (_label, name) => {
    const { email, token } = await invitedToken();
    const error = await expectAppError(signUpFromInvitation(t.db, { token, name, password: strongPassword() }), "validation");
    expect(error.fieldErrors.name?.[0]).toMatch(/invisible/);
    expect(await findUserByEmail(t.db, email)).toBeUndefined();
  });

  it.each(BAD_NAMES)("the profile refuses a name with %s and keeps the old name", async (_label, name) => {
    const user = await seedUser(t.db, { name: "Original Name" });
    const error = await expectAppError(changeName(t.db, { userId: user.id }, { name }), "validation");
    expect(error.fieldErrors.name?.[0]).toMatch(/invisible/);
    expect((await findUserByEmail(t.db, user.email))!.name).toBe("Original Name");
  });

  it("each path stores the NFKC form of an accepted name (positive control)", async () => {
    const fullWidth = "\uFF21\uFF44\uFF41 \uFB01"; // full-width "Ada" and the "fi" ligature
    const email = uniqueEmail();
    await signUp(t.db, { name: fullWidth, email, password: strongPassword() }, { ip: uniqueIp() });
    expect((await findUserByEmail(t.db, email))!.name).toBe("Ada fi");

    const invited = await invitedToken();
    const created = await signUpFromInvitation(t.db, { token: invited.token, name: fullWidth, password: strongPassword() });
    expect(created.name).toBe("Ada fi");

    const user = await seedUser(t.db);
    await expect(changeName(t.db, { userId: user.id }, { name: fullWidth })).resolves.toEqual({ name: "Ada fi" });
  });
});
