// `server-only` throws outside React Server Components; tests import lib/ directly,
// so vitest.config.ts resolves it to this empty module.
export {};
