"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const tabs = [
  { href: "/account", label: "Profile" },
  { href: "/account/security", label: "Security" },
  { href: "/account/organizations", label: "Organizations" },
];

export function AccountTabs() {
  const pathname = usePathname();
  return (
    <nav aria-label="Account settings" className="-mx-4 overflow-x-auto border-b border-zinc-200 px-4">
      <ul className="flex gap-4">
        {tabs.map((tab) => {
          const current = pathname === tab.href;
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={current ? "page" : undefined}
                className={`inline-block border-b-2 px-1 pb-2.5 text-sm font-medium ${
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
