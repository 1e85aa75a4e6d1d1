"use client";

import { Printer } from "lucide-react";

import { buttonClass } from "@/components/ui/button-class";

/** Opens the browser's print dialog: the invoice page prints without the console around it. */
export function PrintButton() {
  return (
    <button type="button" onClick={() => window.print()} className={buttonClass("secondary", "", "sm")}>
      <Printer className="size-4" aria-hidden />
      Print
    </button>
  );
}
