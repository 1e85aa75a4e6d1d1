/** Class names for buttons, and for links that look like buttons (usable on the server). */
export type Variant = "primary" | "secondary" | "danger" | "ghost";
/** `sm` is the compact button of list rows and inline actions. */
export type Size = "md" | "sm";

const variants: Record<Variant, string> = {
  primary: "bg-zinc-900 text-white hover:bg-zinc-700 disabled:bg-zinc-400",
  secondary: "border border-zinc-300 bg-white text-zinc-900 hover:bg-zinc-100 disabled:text-zinc-400",
  danger: "bg-red-600 text-white hover:bg-red-500 disabled:bg-red-300",
  ghost: "text-zinc-700 hover:bg-zinc-100",
};

const sizes: Record<Size, string> = {
  md: "px-4 py-2",
  sm: "px-3 py-1.5",
};

export function buttonClass(variant: Variant = "primary", extra = "", size: Size = "md") {
  return `inline-flex items-center justify-center gap-2 rounded-md ${sizes[size]} text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-zinc-900 disabled:cursor-not-allowed ${variants[variant]} ${extra}`;
}
