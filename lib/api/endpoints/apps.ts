import "server-only";

import { z } from "zod";

import type { App } from "@/db/schema";
import { createApp, deleteApp, getApp, listApps, renameApp } from "@/lib/apps/apps";
import { env } from "@/lib/core/env";
import { appNameSchema, appUrlOf } from "@/lib/shared/names";

import { defineEndpoint } from "../endpoint";
import { idParams, iso, timestamp, uuid } from "../schemas";

export const appSchema = z
  .object({
    id: uuid,
    name: z.string().meta({ example: "web" }),
    url: z.string().nullable().meta({
      description:
        "The app's default URL: https://<app>-<org>.<apps domain>, unique across organizations. Null for an app created before addresses were unique whose address another app had: renaming the app gives it one.",
      example: "https://web-acme.apps.example.com",
    }),
    createdByName: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "App" });

/** The console's own app-name rule (a DNS label); the org-dependent length is checked on write. */
const appBody = z.strictObject({
  name: appNameSchema.meta({
    description: "Lowercase letters, digits and single dashes; `<app>-<org>` fits in 63 characters.",
    example: "web",
  }),
});

const toApp = (app: App) => ({
  id: app.id,
  name: app.name,
  url: appUrlOf(app.hostLabel, env().APPS_DOMAIN),
  createdByName: app.createdByName,
  createdAt: iso(app.createdAt),
  updatedAt: iso(app.updatedAt),
});

const appParams = idParams("app");

export const listAppsEndpoint = defineEndpoint({
  method: "GET",
  path: "/apps",
  operationId: "listApps",
  tag: "Apps",
  summary: "List apps",
  response: z.object({ data: z.array(appSchema) }),
  responseDescription: "Every app of the organization, by name.",
  handler: async (db, ctx) => ({ data: (await listApps(db, ctx.actor.userId, { id: ctx.org.id })).map((app) => toApp(app)) }),
});

export const createAppEndpoint = defineEndpoint({
  method: "POST",
  path: "/apps",
  operationId: "createApp",
  tag: "Apps",
  summary: "Create an app",
  body: appBody,
  response: appSchema,
  status: 201,
  location: (app) => `/apps/${app.id}`,
  responseDescription: "The new app.",
  errors: [409, 422],
  handler: async (db, ctx, { body }) => toApp(await createApp(db, ctx.actor, { org: { id: ctx.org.id }, name: body.name })),
});

export const getAppEndpoint = defineEndpoint({
  method: "GET",
  path: "/apps/{id}",
  operationId: "getApp",
  tag: "Apps",
  summary: "Get an app",
  params: appParams,
  response: appSchema,
  responseDescription: "The app.",
  errors: [404],
  handler: async (db, ctx, { params }) => toApp(await getApp(db, ctx.actor.userId, { id: ctx.org.id }, params.id)),
});

export const renameAppEndpoint = defineEndpoint({
  method: "PATCH",
  path: "/apps/{id}",
  operationId: "renameApp",
  tag: "Apps",
  summary: "Rename an app",
  params: appParams,
  body: appBody,
  response: appSchema,
  responseDescription: "The app, renamed.",
  errors: [404, 409, 422],
  handler: async (db, ctx, { params, body }) =>
    toApp(await renameApp(db, ctx.actor, { org: { id: ctx.org.id }, appId: params.id, name: body.name })),
});

export const deleteAppEndpoint = defineEndpoint({
  method: "DELETE",
  path: "/apps/{id}",
  operationId: "deleteApp",
  tag: "Apps",
  summary: "Delete an app",
  params: appParams,
  responseDescription: "Deleted.",
  errors: [404],
  handler: async (db, ctx, { params }) => {
    await deleteApp(db, ctx.actor, { org: { id: ctx.org.id }, appId: params.id });
  },
});
