import type { HTMLAttributes } from "react";

/** The dashed box that stands in for an empty list ("No apps yet…"); a `div` when it holds more than text. */
export function EmptyState({ as: Tag = "p", ...props }: Omit<HTMLAttributes<HTMLElement>, "className"> & { as?: "p" | "div" }) {
  return <Tag className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-600" {...props} />;
}
