import type { ReactNode } from "react";

export function AuthCard({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white p-6 shadow-xs sm:p-8">
      <h1 className="text-xl font-semibold tracking-tight text-zinc-900">{title}</h1>
      {description ? <p className="mt-1.5 text-sm text-zinc-600">{description}</p> : null}
      <div className="mt-6">{children}</div>
    </div>
  );
}
