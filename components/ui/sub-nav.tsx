"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/**
 * Secondary navigation (settings sections): vertical on wide screens, a scrolling row on phones.
 * An item with `prefix` is also current on the pages below it (an invoice under Invoices).
 */
export function SubNav({ label, items }: { label: string; items: { href: string; label: string; prefix?: boolean }[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="-mx-4 overflow-x-auto px-4 md:mx-0 md:px-0">
      <ul className="flex gap-1 md:flex-col">
        {items.map((item) => {
          const current = pathname === item.href || (item.prefix === true && pathname.startsWith(`${item.href}/`));
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={current ? "page" : undefined}
                className={`block rounded-md px-3 py-1.5 text-sm whitespace-nowrap ${current ? "bg-zinc-200/70 font-medium text-zinc-900" : "text-zinc-600 hover:bg-zinc-100"}`}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
