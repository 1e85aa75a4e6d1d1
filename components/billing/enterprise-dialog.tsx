"use client";

import { requestEnterpriseAction } from "@/actions/billing";
import { Field } from "@/components/ui/field";
import { FormDialog } from "@/components/ui/form-dialog";

/** Enterprise is arranged by people: the request goes to the sales address by e-mail. */
export function EnterpriseDialog({ orgName }: { orgName: string }) {
  return (
    <FormDialog
      trigger="Contact sales"
      title="Talk to sales about Enterprise"
      description="Unlimited members, a custom contract and invoicing. Tell us what you need; we answer by e-mail within one business day."
      submitLabel="Send request"
      action={requestEnterpriseAction}
      fields={{ orgName }}
    >
      {(errors) => (
        <>
          <Field id="enterprise-seats" label="Members you need" name="seats" type="number" min={1} inputMode="numeric" required errors={errors.seats} />
          <div className="space-y-1.5">
            <label htmlFor="enterprise-message" className="block text-sm font-medium text-zinc-800">
              Anything else? <span className="font-normal text-zinc-500">(optional)</span>
            </label>
            <textarea
              id="enterprise-message"
              name="message"
              rows={4}
              maxLength={2000}
              className="block w-full rounded-md border border-zinc-300 px-3 py-2 text-sm outline-none focus:border-zinc-500 focus:ring-2 focus:ring-zinc-200"
            />
            {errors.message ? <p className="text-sm text-red-600">{errors.message.join(" ")}</p> : null}
          </div>
        </>
      )}
    </FormDialog>
  );
}
