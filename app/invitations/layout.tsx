import Link from "next/link";

export default function InvitationLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col items-center justify-center px-4 py-10">
      <Link href="/" className="mb-8 text-lg font-semibold tracking-tight text-zinc-900">
        Console
      </Link>
      <main className="w-full max-w-md">{children}</main>
    </div>
  );
}
