"use client";

import { Toaster } from "sonner";

// Top centre, below the header: at the bottom right a toast covered the row actions
// (Delete, Remove) the user was about to click next.
// Rendered from a client module so that it and every `toast()` call share one
// copy of sonner (a server-side import can resolve to its other build).
export function AppToaster() {
  return <Toaster position="top-center" richColors closeButton offset={64} mobileOffset={64} />;
}
