"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { toast } from "sonner";
import type { FormState } from "@/lib/form";

/**
 * After a form action succeeds: toast its message and go where it says. Actions
 * that move the user elsewhere return `redirectTo` instead of revalidating: a
 * revalidated page that redirects (a renamed or deleted org) would swallow the
 * result. The refresh after the push re-reads the layout (switcher, org list).
 */
export function useFormOutcome(state: FormState) {
  const router = useRouter();
  useEffect(() => {
    if (!state?.ok) return;
    if (state.message) toast.success(state.message);
    if (state.redirectTo) {
      router.push(state.redirectTo);
      router.refresh();
    }
  }, [state, router]);
}
