import "server-only";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";

import { getDb, type Db } from "@/db";
import type { SessionUser } from "@/lib/auth/account-settings";
import type { Actor } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { typedConfirmationProblem } from "@/lib/shared/confirmation";
import type { FormState } from "@/lib/shared/form-state";

import { handleForm } from "./form";
import { clientIp, currentActor, requireUser } from "./session";

interface PublicContext {
  db: Db;
  form: FormData;
  /** A submitted field, as FormData has it (lib/ validates it). */
  field: (name: string) => FormDataEntryValue | null;
  ip: string;
  userAgent: string | null;
}

interface UserContext extends Omit<PublicContext, "ip" | "userAgent"> {
  user: SessionUser;
  actor: Actor;
  /** The `orgName` field of an org-scoped form, as typed (lib/ checks it). */
  orgName: string;
}

interface UserOptions {
  /**
   * A destructive action: the form's `confirmation` field must equal the value
   * of this field (the org's, app's, secret's or token's name). The typed name
   * is a guard against a slip in the UI, so it is checked here and not in lib/,
   * where the REST API (whose call is its own confirmation) shares the rule.
   */
  confirm?: "orgName" | "appName" | "secretName" | "tokenName";
  /** Pages to refresh after success: relative to `/orgs/<orgName>/`, or "layout" for every page. */
  revalidate?: string[];
}

type Work<Context, Data> = (context: Context) => Promise<FormState<Data> | void>;

function textOf(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

function checkConfirmation(form: FormData, field: NonNullable<UserOptions["confirm"]>): void {
  const expected = textOf(form, field);
  const problem = typedConfirmationProblem(form.get("confirmation"), expected);
  if (problem) throw new AppError("validation", problem.message, { confirmation: [problem.field] });
}

/**
 * The one wrapper of every form action: reads the session (signed-out users go
 * to sign in), builds the actor, checks the typed confirmation of destructive
 * actions, turns an AppError into the form's error state, and refreshes the
 * pages that show what changed. The work itself is a call into lib/.
 */
export async function formAction<Data = undefined>(
  form: FormData,
  options: UserOptions,
  work: Work<UserContext, Data>,
): Promise<FormState<Data>> {
  const user = await requireUser();
  return handleForm<Data>(form, async () => {
    if (options.confirm) checkConfirmation(form, options.confirm);
    const field = (name: string) => form.get(name);
    const context: UserContext = {
      db: await getDb(),
      form,
      field,
      user,
      actor: await currentActor(user),
      orgName: textOf(form, "orgName"),
    };
    const result = await work(context);
    for (const page of options.revalidate ?? []) {
      if (page === "layout") revalidatePath("/", "layout");
      else revalidatePath(`/orgs/${encodeURIComponent(context.orgName)}/${page}`);
    }
    return result;
  });
}

/** The same for the signed-out forms (sign-in, sign-up, password reset, invitation sign-up). */
export async function publicFormAction<Data = undefined>(form: FormData, work: Work<PublicContext, Data>): Promise<FormState<Data>> {
  return handleForm<Data>(form, async () =>
    work({
      db: await getDb(),
      form,
      field: (name) => form.get(name),
      ip: await clientIp(),
      userAgent: (await headers()).get("user-agent"),
    }),
  );
}
