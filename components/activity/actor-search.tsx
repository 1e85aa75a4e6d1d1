"use client";

import { useEffect, useId, useState, type KeyboardEvent } from "react";

interface Match {
  userId: string;
  name: string;
  email: string;
}

const labelOf = (member: Match) => `${member.name} (${member.email})`;

/**
 * The actor filter: a search over every member of the org (the JSON route
 * /orgs/NAME/members/search, which lib/ authorizes), not a list of them in the
 * page. It shows the active actor, and submits their user id as `actor`; an
 * empty box means everyone.
 */
export function ActorSearch({ orgName, current }: { orgName: string; current?: { id: string; label: string } }) {
  const listId = useId();
  const [text, setText] = useState(current?.label ?? "");
  const [chosen, setChosen] = useState(current);
  const [open, setOpen] = useState(false);
  const [matches, setMatches] = useState<Match[]>([]);
  const [active, setActive] = useState(0);
  const query = chosen ? "" : text.trim();

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/orgs/${encodeURIComponent(orgName)}/members/search?${new URLSearchParams({ q: query })}`, { signal: controller.signal })
        .then((response) => (response.ok ? (response.json() as Promise<{ members: Match[] }>) : { members: [] }))
        .then((body) => {
          setMatches(body.members);
          setActive(0);
        })
        .catch(() => {});
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [open, query, orgName]);

  const choose = (member: Match) => {
    setChosen({ id: member.userId, label: labelOf(member) });
    setText(labelOf(member));
    setOpen(false);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setOpen(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((now) => (matches.length ? (now + step + matches.length) % matches.length : 0));
    } else if (event.key === "Enter" && open && matches[active]) {
      event.preventDefault();
      choose(matches[active]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      setOpen(false);
    }
  };

  const expanded = open && matches.length > 0;
  return (
    <div className="relative text-sm">
      <input type="hidden" name="actor" value={chosen?.id ?? ""} />
      <input
        type="search"
        role="combobox"
        aria-label="Actor"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded ? `${listId}-${active}` : undefined}
        placeholder="Everyone"
        autoComplete="off"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setChosen(undefined);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
        className="w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm"
      />
      {expanded ? (
        <ul
          id={listId}
          role="listbox"
          aria-label="Members"
          className="absolute z-50 mt-1 max-h-72 w-full overflow-y-auto rounded-md border border-zinc-200 bg-white py-1 shadow-lg"
        >
          {matches.map((member, index) => (
            <li
              key={member.userId}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              // Before the input's blur closes the list.
              onMouseDown={(event) => {
                event.preventDefault();
                choose(member);
              }}
              className="cursor-pointer truncate px-3 py-1.5 aria-selected:bg-zinc-100"
            >
              {labelOf(member)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
