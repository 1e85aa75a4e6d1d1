import { Lock } from "lucide-react";
import type { ReactNode } from "react";

import { refusalMessage, type Permission } from "@/lib/shared/roles";

/**
 * Stands in for a form or a button the viewer's role cannot use: one muted
 * sentence saying who can ("Only owners and admins can …", from the roles
 * table). The server refuses the action anyway; this keeps the page from
 * offering it. `children` add to the sentence (a link, a next step).
 */
export function PermissionNote({ permission, children }: { permission: Permission; children?: ReactNode }) {
  return (
    <p
      role="note"
      data-testid="permission-note"
      data-permission={permission}
      className="flex items-start gap-2 rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm text-zinc-600"
    >
      <Lock className="mt-0.5 size-3.5 shrink-0 text-zinc-400" aria-hidden />
      <span>
        {refusalMessage(permission)}
        {children ? <> {children}</> : null}
      </span>
    </p>
  );
}
