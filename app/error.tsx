"use client";

import { buttonClass } from "@/components/ui/button-class";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="flex min-h-[60dvh] flex-col items-center justify-center gap-4 px-4 text-center">
      <h1 className="text-2xl font-semibold tracking-tight">Something went wrong</h1>
      <p className="max-w-md text-sm text-zinc-600">
        Nothing was half-saved: try again, and if it keeps failing, contact support{error.digest ? ` with the code ${error.digest}` : ""}.
      </p>
      <button type="button" onClick={reset} className={buttonClass("primary")}>
        Try again
      </button>
    </main>
  );
}
