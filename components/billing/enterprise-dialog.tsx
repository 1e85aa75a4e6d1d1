"use client";

import { requestEnterpriseAction } from "@/actions/billing";
import { Field, TextareaField } from "@/components/ui/field";
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
          <Field
            id="enterprise-seats"
            label="Members you need"
            name="seats"
            type="number"
            min={1}
            inputMode="numeric"
            required
            errors={errors.seats}
          />
          <TextareaField
            id="enterprise-message"
            label={
              <>
                Anything else? <span className="font-normal text-zinc-500">(optional)</span>
              </>
            }
            name="message"
            rows={4}
            maxLength={2000}
            errors={errors.message}
          />
        </>
      )}
    </FormDialog>
  );
}
