// Stands in for the `server-only` package in scripts run outside Next.js (scripts/tsconfig.json).
export {};
