"use client";

import { ChevronDown, Download } from "lucide-react";
import { usePathname, useRouter } from "next/navigation";
import { Popover } from "radix-ui";
import { useState } from "react";

import { buttonClass } from "@/components/ui/button-class";

import { ActorSearch } from "./actor-search";

export interface FilterOption {
  value: string;
  label: string;
}

/**
 * Type (several), actor (a search over the members) and date range. Applying puts them in the URL, so a
 * filtered view can be shared and survives a reload; the export uses the same.
 * `exportHref` is left out for roles without `activity.export`: no Export link.
 */
export function ActivityFilters({
  orgName,
  typeOptions,
  current,
  exportHref,
}: {
  orgName: string;
  typeOptions: { group: string; options: FilterOption[] }[];
  /** `actor` is the active actor's user id and label (their name and e-mail), shown in the search box. */
  current: { types: string[]; actor?: { id: string; label: string }; from?: string; to?: string };
  exportHref?: string;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const [types, setTypes] = useState<string[]>(current.types);
  const apply = (formData: FormData) => {
    const params = new URLSearchParams();
    for (const type of types) params.append("type", type);
    for (const name of ["actor", "from", "to"]) {
      const value = formData.get(name);
      if (typeof value === "string" && value) params.set(name, value);
    }
    router.push(params.size ? `${pathname}?${params}` : pathname);
  };
  const active = current.types.length > 0 || Boolean(current.actor || current.from || current.to);
  return (
    <form action={apply} className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4" aria-label="Filter activity">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Popover.Root>
          <Popover.Trigger className="flex items-center justify-between rounded-md border border-zinc-300 bg-white px-3 py-2 text-left text-sm sm:col-span-2 lg:col-span-1">
            {types.length ? `${types.length} type${types.length > 1 ? "s" : ""}` : "All types"}
            <ChevronDown className="size-4 text-zinc-500" aria-hidden />
          </Popover.Trigger>
          <Popover.Portal>
            <Popover.Content
              align="start"
              sideOffset={4}
              className="z-50 max-h-80 w-72 overflow-y-auto rounded-md border border-zinc-200 bg-white p-3 shadow-lg"
            >
              <fieldset className="space-y-3">
                <legend className="sr-only">Types</legend>
                {typeOptions.map((group) => (
                  <div key={group.group}>
                    <p className="mb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase">{group.group}</p>
                    {group.options.map((option) => (
                      <label key={option.value} className="flex items-center gap-2 py-0.5 text-sm">
                        <input
                          type="checkbox"
                          checked={types.includes(option.value)}
                          onChange={(event) =>
                            setTypes((now) => (event.target.checked ? [...now, option.value] : now.filter((type) => type !== option.value)))
                          }
                        />
                        {option.label}
                      </label>
                    ))}
                  </div>
                ))}
              </fieldset>
            </Popover.Content>
          </Popover.Portal>
        </Popover.Root>
        <ActorSearch orgName={orgName} current={current.actor} />
        <label className="flex items-center gap-2 text-sm">
          <span className="text-zinc-500">From</span>
          <input
            type="date"
            name="from"
            defaultValue={current.from}
            aria-label="From"
            className="w-full rounded-md border border-zinc-300 px-2 py-1.5 text-sm"
          />
        </label>
        <label className="flex items-center gap-2 text-sm">
          <span className="text-zinc-500">To</span>
          <input
            type="date"
            name="to"
            defaultValue={current.to}
            aria-label="To"
            className="w-full rounded-md border border-zinc-300 px-2 py-1.5 text-sm"
          />
        </label>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <button type="submit" className={buttonClass("primary", "!py-1.5")}>
          Apply filters
        </button>
        {active ? (
          <button type="button" onClick={() => router.push(pathname)} className={buttonClass("ghost", "!py-1.5")}>
            Clear
          </button>
        ) : null}
        {exportHref ? (
          <a href={exportHref} className={buttonClass("secondary", "ml-auto !py-1.5")} download>
            <Download className="size-4" aria-hidden /> Export CSV
          </a>
        ) : null}
      </div>
    </form>
  );
}
