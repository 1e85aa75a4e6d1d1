/** What a console page shows while it loads (the loading.tsx files below the access checks). */
export function LoadingSkeleton() {
  return (
    <div className="space-y-4" aria-busy="true" aria-label="Loading">
      <div className="h-7 w-48 animate-pulse rounded bg-zinc-200" />
      <div className="h-4 w-72 animate-pulse rounded bg-zinc-200" />
      <div className="h-40 animate-pulse rounded-lg bg-zinc-200" />
    </div>
  );
}
