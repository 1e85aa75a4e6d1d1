export const RESET_REQUESTED_MESSAGE =
  "If an account exists for that email, we sent it a link to reset the password. The link works for one hour.";
