"use client";

import { changeNameAction } from "@/actions/account";
import { SubmitButton } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormMessage } from "@/components/ui/field";
import { useFormAction } from "@/components/use-form-action";

export function ProfileForm({ name, email }: { name: string; email: string }) {
  const [state, formAction] = useFormAction(changeNameAction);
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form action={formAction}>
      <Card
        title="Profile"
        description="Your name is shown to the members of your organizations."
        footer={<SubmitButton pendingLabel="Saving…">Save</SubmitButton>}
      >
        <FormMessage error={state && !state.ok ? state.formError : undefined} />
        <Field label="Name" name="name" autoComplete="name" required defaultValue={state?.values?.name ?? name} errors={errors.name} />
        <Field label="Email" name="email-display" value={email} readOnly disabled hint="To change it, use the form below." />
      </Card>
    </form>
  );
}
