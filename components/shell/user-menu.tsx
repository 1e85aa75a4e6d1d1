"use client";

import Link from "next/link";
import { DropdownMenu } from "radix-ui";

import { signOutAction } from "@/actions/account";
import { Avatar } from "@/components/ui/avatar";

export function UserMenu({ name, email }: { name: string; email: string }) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        aria-label="Open user menu"
        className="rounded-full focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-zinc-900"
      >
        <Avatar label={name} />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={8}
          className="z-50 min-w-56 rounded-md border border-zinc-200 bg-white p-1 text-sm shadow-lg"
        >
          <div className="px-2 py-1.5">
            <p className="truncate font-medium text-zinc-900">{name}</p>
            <p className="truncate text-xs text-zinc-500">{email}</p>
          </div>
          <DropdownMenu.Separator className="my-1 h-px bg-zinc-200" />
          <DropdownMenu.Item asChild className="block cursor-pointer rounded px-2 py-1.5 outline-none data-[highlighted]:bg-zinc-100">
            <Link href="/account">Account settings</Link>
          </DropdownMenu.Item>
          <DropdownMenu.Item
            className="cursor-pointer rounded px-2 py-1.5 outline-none data-[highlighted]:bg-zinc-100"
            onSelect={() => {
              void signOutAction();
            }}
          >
            Sign out
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
