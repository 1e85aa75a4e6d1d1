"use client";

import { Toaster } from "sonner";

// Rendered from a client module so that it and every `toast()` call share one
// copy of sonner (a server-side import can resolve to its other build).
export function AppToaster() {
  return <Toaster position="bottom-right" richColors closeButton />;
}
