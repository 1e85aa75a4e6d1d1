"use server";

import { notFound } from "next/navigation";
import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { outboxPageEnabled } from "@/lib/core/env";
import { retryEmail } from "@/lib/mail/send";
import { isUuid } from "@/lib/core/ids";

export async function retryEmailAction(formData: FormData): Promise<void> {
  if (!outboxPageEnabled()) notFound();
  const id = formData.get("id");
  if (!isUuid(id)) return;
  await retryEmail(await getDb(), id);
  revalidatePath("/dev/mail");
}
