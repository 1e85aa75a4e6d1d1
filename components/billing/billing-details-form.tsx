"use client";

import { saveBillingDetailsAction } from "@/actions/billing";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormMessage, SelectField } from "@/components/ui/field";
import { useFormAction } from "@/components/use-form-action";
import type { Country } from "@/lib/shared/countries";

export interface BillingDetailsValues {
  name: string;
  email: string;
  addressLine1: string;
  addressLine2: string;
  city: string;
  postalCode: string;
  country: string;
  taxId: string;
}

/**
 * The billing information. The server checks every rule (the tax ID against the
 * country's VAT format); on the way to a paid plan, saving continues to payment.
 */
export function BillingDetailsForm({
  orgName,
  initial,
  countries,
  continueToPlan,
}: {
  orgName: string;
  initial: BillingDetailsValues;
  countries: Country[];
  /** Set on the way to a paid plan: the plan's id and name. */
  continueToPlan?: { id: string; label: string };
}) {
  const [state, formAction] = useFormAction(saveBillingDetailsAction);
  const failed = state && !state.ok ? state : undefined;
  const values = (failed?.values ?? initial) as Partial<BillingDetailsValues>;
  const errors = failed?.fieldErrors ?? {};
  // A new key after each failed submit re-applies the typed values (React 19 resets the form).
  const key = failed ? JSON.stringify(failed.values) : "initial";
  return (
    <form key={key} action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="orgName" value={orgName} />
      {continueToPlan ? <input type="hidden" name="plan" value={continueToPlan.id} /> : null}
      <FormMessage error={failed?.formError} />
      <Field
        label="Billing name or company"
        name="name"
        autoComplete="organization"
        defaultValue={values.name}
        errors={errors.name}
        required
      />
      <Field
        label="Billing email"
        name="email"
        type="email"
        autoComplete="email"
        defaultValue={values.email}
        errors={errors.email}
        hint="Invoices and receipts go here."
        required
      />
      <Field
        label="Address"
        name="addressLine1"
        autoComplete="address-line1"
        defaultValue={values.addressLine1}
        errors={errors.addressLine1}
        required
      />
      <Field
        label="Address line 2 (optional)"
        name="addressLine2"
        autoComplete="address-line2"
        defaultValue={values.addressLine2}
        errors={errors.addressLine2}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="City" name="city" autoComplete="address-level2" defaultValue={values.city} errors={errors.city} required />
        <Field
          label="Postal code"
          name="postalCode"
          autoComplete="postal-code"
          defaultValue={values.postalCode}
          errors={errors.postalCode}
          required
        />
      </div>
      <SelectField label="Country" name="country" autoComplete="country" defaultValue={values.country ?? ""} errors={errors.country}>
        <option value="">Choose a country…</option>
        {countries.map((country) => (
          <option key={country.code} value={country.code}>
            {country.name}
          </option>
        ))}
      </SelectField>
      <Field
        label="Tax ID (optional)"
        name="taxId"
        defaultValue={values.taxId}
        errors={errors.taxId}
        hint="In the EU, your VAT number, like DE123456789. The country prefix is optional."
      />
      <SubmitButton pendingLabel="Saving…">{continueToPlan ? `Save and continue to payment` : "Save billing information"}</SubmitButton>
    </form>
  );
}
