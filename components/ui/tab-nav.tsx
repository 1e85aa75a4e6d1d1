"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** A row of tabs for a section; `exact` tabs match only their own path, the others their subtree too. */
export function TabNav({ label, tabs }: { label: string; tabs: { href: string; label: string; exact?: boolean }[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="-mx-4 overflow-x-auto border-b border-zinc-200 px-4">
      <ul className="flex gap-4">
        {tabs.map((tab) => {
          const current = tab.exact ? pathname === tab.href : pathname === tab.href || pathname.startsWith(`${tab.href}/`);
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={current ? "page" : undefined}
                className={`inline-block border-b-2 px-1 pb-2.5 text-sm font-medium whitespace-nowrap ${
                  current ? "border-zinc-900 text-zinc-900" : "border-transparent text-zinc-500 hover:text-zinc-800"
                }`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
