import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Import boundaries (docs/architecture.md): data flows page or action → lib/ → db/.
const outsideLayers = (message) => ({
  group: ["@/app/*", "@/components/*", "@/actions/*"],
  message,
});

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "node_modules/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "db/migrations/**"],
  },
  {
    // UI: actions from actions/, rules from lib/shared/, nothing server-side.
    files: ["components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/app/*"], message: "Components take server actions from @/actions/*, never from app/." },
            { group: ["@/db", "@/db/*"], message: "Components never touch the database: a page or an action passes what they need." },
            { group: ["@/lib/*", "!@/lib/shared"], message: "Components import from lib/ only the client-safe rules in @/lib/shared/*." },
          ],
        },
      ],
    },
  },
  {
    // The domain: no Next.js, no UI, no actions (lib/next/ is the glue that may).
    files: ["lib/**"],
    ignores: ["lib/next/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["next", "next/*", "next-auth", "next-auth/*"],
              message: "Only lib/next/ imports Next.js: keep the domain callable from tests, scripts and the API.",
            },
            outsideLayers("lib/ never imports app/, components/ or actions/: they call lib/, not the other way round."),
          ],
        },
      ],
    },
  },
  {
    // Client-safe rules: imported by components, so they import nothing server-side.
    files: ["lib/shared/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/*", "!@/lib/shared", "@/db", "@/db/*", "server-only", "next", "next/*"],
              message: "lib/shared/ is bundled for the browser: import only zod and other lib/shared/ files.",
            },
            outsideLayers("lib/shared/ never imports app/, components/ or actions/."),
          ],
        },
      ],
    },
  },
  {
    files: ["lib/next/**", "actions/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [outsideLayers("lib/next/ and actions/ never import app/, components/ or other action files.")] },
      ],
    },
  },
  {
    // Pages and routes read through checked lib/ functions; these helpers skip the membership check.
    files: ["app/**", "actions/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "@/lib/orgs/memberships", importNames: ["countMembers"], message: "Use getOrgOverview (membership checked)." },
            {
              name: "@/lib/activity/feed",
              importNames: ["readActivityPage"],
              message: "Use listActivities or listActivityViews (membership checked).",
            },
            { name: "@/lib/activity/targets", importNames: ["liveTargets"], message: "Use listActivityViews (membership checked)." },
            { name: "@/lib/orgs/seats", importNames: ["seatUsage", "seatsUsed"], message: "Use getSeatUsage (membership checked)." },
          ],
          patterns: [{ group: ["@/app/*"], message: "Import actions from @/actions/*; app/ holds routes only." }],
        },
      ],
    },
  },
];

export default config;
