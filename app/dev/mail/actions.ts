"use server";

import { notFound } from "next/navigation";
import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { outboxPageEnabled } from "@/lib/env";
import { retryEmail } from "@/lib/mail";

export async function retryEmailAction(formData: FormData): Promise<void> {
  if (!outboxPageEnabled()) notFound();
  const id = formData.get("id");
  if (typeof id !== "string" || !/^[0-9a-f-]{36}$/.test(id)) return;
  await retryEmail(await getDb(), id);
  revalidatePath("/dev/mail");
}
