import "server-only";

import type { AnyEndpoint } from "../endpoint";
import { listActivitiesEndpoint } from "./activities";
import { createAppEndpoint, deleteAppEndpoint, getAppEndpoint, listAppsEndpoint, renameAppEndpoint } from "./apps";
import { getBillingEndpoint, getPlanEndpoint } from "./billing";
import { inviteMembersEndpoint, listInvitationsEndpoint, removeInvitationEndpoint, resendInvitationEndpoint } from "./invitations";
import { getInvoiceEndpoint, getUsageEndpoint, listInvoicesEndpoint } from "./invoices";
import { changeMemberRoleEndpoint, listMembersEndpoint, removeMemberEndpoint } from "./members";
import { getOrganizationEndpoint } from "./organization";
import { createSecretEndpoint, deleteSecretEndpoint, listSecretsEndpoint, revealSecretEndpoint, updateSecretEndpoint } from "./secrets";

/** Every endpoint of /api/v1, in the order the OpenAPI document lists them. */
export const API_ENDPOINTS: AnyEndpoint[] = [
  getOrganizationEndpoint,
  getPlanEndpoint,
  getBillingEndpoint,
  getUsageEndpoint,
  listInvoicesEndpoint,
  getInvoiceEndpoint,
  listMembersEndpoint,
  changeMemberRoleEndpoint,
  removeMemberEndpoint,
  listInvitationsEndpoint,
  inviteMembersEndpoint,
  resendInvitationEndpoint,
  removeInvitationEndpoint,
  listActivitiesEndpoint,
  listAppsEndpoint,
  createAppEndpoint,
  getAppEndpoint,
  renameAppEndpoint,
  deleteAppEndpoint,
  listSecretsEndpoint,
  createSecretEndpoint,
  revealSecretEndpoint,
  updateSecretEndpoint,
  deleteSecretEndpoint,
];
