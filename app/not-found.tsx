import Link from "next/link";

import { buttonClass } from "@/components/ui/button-class";

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-4 px-4 text-center">
      <p className="text-sm font-semibold text-zinc-500">404</p>
      <h1 className="text-2xl font-semibold tracking-tight">This page could not be found</h1>
      <p className="max-w-md text-sm text-zinc-600">It does not exist, or you do not have access to it.</p>
      <Link href="/" className={buttonClass("primary")}>
        Go to the console
      </Link>
    </main>
  );
}
