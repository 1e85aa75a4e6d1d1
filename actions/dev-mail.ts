"use server";

import { revalidatePath } from "next/cache";
import { notFound } from "next/navigation";

import { getDb } from "@/db";
import { outboxPageEnabled } from "@/lib/core/env";
import { isUuid } from "@/lib/core/ids";
import { requeueEmail } from "@/lib/mail/send";

export async function retryEmailAction(formData: FormData): Promise<void> {
  if (!outboxPageEnabled()) notFound();
  const id = formData.get("id");
  if (!isUuid(id)) return;
  await requeueEmail(await getDb(), id);
  revalidatePath("/dev/mail");
}
