"use client";

import { useEffect, useState } from "react";

import { checkOrgNameAction } from "@/actions/organizations";
import { defaultAppUrl, ORG_NAME_MAX, ORG_NAME_RULES, orgNameProblem } from "@/lib/shared/names";

/**
 * The name input with the rules ticked live, a preview of the default app URL,
 * and (after a pause in typing) whether the name is free.
 */
export function OrgNameField({
  defaultValue = "",
  currentName,
  appsDomain,
  errors,
}: {
  defaultValue?: string;
  currentName?: string;
  appsDomain: string;
  errors?: string[];
}) {
  const [name, setName] = useState(defaultValue);
  const [availability, setAvailability] = useState<{ name: string; ok: boolean; message?: string }>();
  const problem = name ? orgNameProblem(name) : undefined;

  useEffect(() => {
    if (!name || problem || name === currentName) return;
    const timer = setTimeout(async () => {
      const result = await checkOrgNameAction(name);
      setAvailability({ name, ...result });
    }, 350);
    return () => clearTimeout(timer);
  }, [name, problem, currentName]);

  const taken = availability?.name === name && !availability.ok ? availability.message : undefined;
  const shownErrors = errors?.length && name === defaultValue ? errors : taken ? [taken] : problem && name ? [problem] : undefined;

  return (
    <div className="space-y-2">
      <label htmlFor="field-name" className="block text-sm font-medium text-zinc-800">
        Organization name
      </label>
      <input
        id="field-name"
        name="name"
        value={name}
        onChange={(event) => setName(event.target.value)}
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        maxLength={ORG_NAME_MAX + 20}
        required
        aria-invalid={Boolean(shownErrors) || undefined}
        aria-describedby="org-name-rules org-name-preview"
        className={`block w-full rounded-md border bg-white px-3 py-2 font-mono text-sm outline-none focus:ring-2 ${
          shownErrors ? "border-red-500 focus:ring-red-200" : "border-zinc-300 focus:border-zinc-500 focus:ring-zinc-200"
        }`}
      />
      {shownErrors ? (
        <p className="text-sm text-red-600" data-testid="name-error">
          {shownErrors.join(" ")}
        </p>
      ) : availability?.name === name && availability.ok ? (
        <p className="text-sm text-green-700" data-testid="name-available">
          {name} is available.
        </p>
      ) : null}
      <ul id="org-name-rules" className="grid gap-1 text-xs sm:grid-cols-2" aria-label="Name rules">
        {ORG_NAME_RULES.map((rule) => {
          const passes = rule.passes(name);
          return (
            <li key={rule.id} className={passes ? "text-green-700" : "text-zinc-500"}>
              <span aria-hidden>{passes ? "✓" : "○"}</span> {rule.label}
              <span className="sr-only">{passes ? " (met)" : " (not met)"}</span>
            </li>
          );
        })}
      </ul>
      <p id="org-name-preview" className="text-xs text-zinc-600">
        Your apps will be reachable at{" "}
        <code className="rounded bg-zinc-100 px-1 py-0.5" data-testid="app-url-preview">
          {defaultAppUrl("<app>", name, appsDomain)}
        </code>
      </p>
    </div>
  );
}
