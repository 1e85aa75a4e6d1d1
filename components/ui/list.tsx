import type { HTMLAttributes, LiHTMLAttributes } from "react";

/** A bordered list whose rows are divided by rules (apps, secrets, tokens, members, invitations). */
export function List({
  as: Tag = "ul",
  ...props
}: Omit<HTMLAttributes<HTMLUListElement | HTMLOListElement>, "className"> & { as?: "ul" | "ol" }) {
  return <Tag className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white" {...props} />;
}

/** One row of a `List`: its content and its actions side by side, wrapping on narrow screens. */
export function ListRow({
  align = "center",
  ...props
}: Omit<LiHTMLAttributes<HTMLLIElement>, "className"> & { align?: "center" | "start" }) {
  return <li className={`flex flex-wrap ${align === "start" ? "items-start" : "items-center"} gap-3 px-4 py-3`} {...props} />;
}
