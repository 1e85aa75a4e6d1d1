/**
 * Destructive actions in the console ask for a name to be typed (the org's,
 * app's, secret's or token's). The dialog keeps its button disabled until the
 * text matches; the server action checks it again with this rule.
 */
export function typedConfirmationProblem(typed: unknown, expected: string): { message: string; field: string } | undefined {
  if (expected && typed === expected) return undefined;
  return { message: "Type the name to confirm.", field: `Type ${expected} to confirm.` };
}
