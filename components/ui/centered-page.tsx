import Link from "next/link";

/** The frame of the signed-out pages: the product name above one centred column. */
export function CenteredPage({ children, width = "max-w-sm" }: { children: React.ReactNode; width?: string }) {
  return (
    <div className="flex min-h-dvh flex-col items-center justify-center px-4 py-10">
      <Link href="/" className="mb-8 text-lg font-semibold tracking-tight text-zinc-900">
        Console
      </Link>
      <main className={`w-full ${width}`}>{children}</main>
    </div>
  );
}
