import type { ReactNode } from "react";

export function Card({
  title,
  description,
  children,
  footer,
}: {
  title?: string;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <section className="rounded-lg border border-zinc-200 bg-white shadow-xs">
      <div className="space-y-4 p-5 sm:p-6">
        {title ? (
          <header className="space-y-1">
            <h2 className="text-base font-semibold text-zinc-900">{title}</h2>
            {description ? <p className="text-sm text-zinc-600">{description}</p> : null}
          </header>
        ) : null}
        {children}
      </div>
      {footer ? (
        <div className="flex flex-wrap items-center justify-end gap-3 border-t border-zinc-200 bg-zinc-50 px-5 py-3 sm:px-6">{footer}</div>
      ) : null}
    </section>
  );
}
