"use client";

import { Check, ChevronsUpDown, Plus } from "lucide-react";
import Link from "next/link";
import { useParams } from "next/navigation";
import { Popover } from "radix-ui";
import { useState } from "react";

import { Avatar } from "@/components/ui/avatar";

const SEARCH_THRESHOLD = 10;

/**
 * The org switcher at the top left: the current org (from the URL, so two tabs
 * can sit in different orgs), every org of the user with a check on the current
 * one, a search box past ten orgs, and "Create organization".
 */
export function OrgSwitcher({ orgs, lastOrgName }: { orgs: { name: string }[]; lastOrgName?: string }) {
  const params = useParams<{ org?: string }>();
  const fromUrl = params.org ? decodeURIComponent(params.org) : undefined;
  // Only an org the user belongs to is "current": a 404 page for another org shows the usual one.
  const current = orgs.find((org) => org.name === fromUrl)?.name ?? lastOrgName;
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const shown = orgs.filter((org) => org.name.includes(query.trim().toLowerCase()));
  return (
    <Popover.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setQuery("");
      }}
    >
      <div className="flex min-w-0 items-center gap-1">
        {current ? (
          <Link href={`/orgs/${current}`} className="flex min-w-0 items-center gap-2 rounded-md px-1.5 py-1 hover:bg-zinc-100">
            <Avatar label={current} size="sm" square />
            <span className="truncate text-sm font-medium" data-testid="current-org">
              {current}
            </span>
          </Link>
        ) : (
          <span className="px-1.5 text-sm text-zinc-500">No organization</span>
        )}
        <Popover.Trigger
          aria-label="Switch organization"
          className="rounded-md p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-zinc-900"
        >
          <ChevronsUpDown className="size-4" aria-hidden />
        </Popover.Trigger>
      </div>
      <Popover.Portal>
        <Popover.Content align="start" sideOffset={8} className="z-50 w-72 rounded-md border border-zinc-200 bg-white p-1 shadow-lg">
          {orgs.length > SEARCH_THRESHOLD ? (
            <input
              type="search"
              aria-label="Search organizations"
              placeholder="Search organizations…"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
              className="mb-1 w-full rounded border border-zinc-200 px-2 py-1.5 text-sm outline-none focus:border-zinc-400"
            />
          ) : null}
          <ul className="max-h-72 overflow-y-auto" aria-label="Organizations">
            {shown.map((org) => (
              <li key={org.name}>
                <Link
                  href={`/orgs/${org.name}`}
                  onClick={() => setOpen(false)}
                  aria-current={org.name === current ? "true" : undefined}
                  className="flex items-center gap-2 rounded px-2 py-1.5 text-sm outline-none hover:bg-zinc-100 focus-visible:bg-zinc-100"
                >
                  <Avatar label={org.name} size="sm" square />
                  <span className="min-w-0 flex-1 truncate">{org.name}</span>
                  {/* aria-current already says which one is current: the check is only drawn, or the entry's name would be "acme Current organization". */}
                  {org.name === current ? <Check className="size-4 text-zinc-900" aria-hidden /> : null}
                </Link>
              </li>
            ))}
            {shown.length === 0 ? <li className="px-2 py-1.5 text-sm text-zinc-500">No organization matches.</li> : null}
          </ul>
          <div className="my-1 h-px bg-zinc-200" />
          <Link
            href="/orgs/new"
            onClick={() => setOpen(false)}
            className="flex items-center gap-2 rounded px-2 py-1.5 text-sm outline-none hover:bg-zinc-100 focus-visible:bg-zinc-100"
          >
            <Plus className="size-4" aria-hidden /> Create organization
          </Link>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
