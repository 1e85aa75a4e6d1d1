import { markup, type Html } from "@/lib/shared/html";

const palette = ["bg-sky-600", "bg-emerald-600", "bg-violet-600", "bg-amber-600", "bg-rose-600", "bg-teal-600", "bg-indigo-600"];

export function initials(label: string): string {
  const words = label
    .trim()
    .split(/[\s\-_.@]+/)
    .filter(Boolean);
  const letters = words.length > 1 ? `${words[0]![0]}${words[1]![0]}` : (words[0] ?? "?").slice(0, 2);
  return letters.toUpperCase();
}

function colourOf(label: string): string {
  let sum = 0;
  for (const char of label) sum = (sum * 31 + char.charCodeAt(0)) >>> 0;
  return palette[sum % palette.length]!;
}

type AvatarProps = { label: string; size?: "sm" | "md"; square?: boolean };

function avatarClass({ label, size = "md", square = false }: AvatarProps): string {
  // .avatar and .avatar-sm are in app/globals.css: the class list is repeated on every row of a list.
  return ["avatar", size === "sm" ? "avatar-sm" : "", square ? "rounded-md" : "", colourOf(label)].filter(Boolean).join(" ");
}

/** Initials on a colour derived from the label, so the same name always looks the same. */
export function Avatar(props: AvatarProps) {
  return (
    <span aria-hidden className={avatarClass(props)}>
      {initials(props.label)}
    </span>
  );
}

/** The same avatar as markup, for rows rendered as strings (lib/shared/html.ts). */
export function avatarHtml(props: AvatarProps): Html {
  return markup`<span aria-hidden="true" class="${avatarClass(props)}">${initials(props.label)}</span>`;
}
