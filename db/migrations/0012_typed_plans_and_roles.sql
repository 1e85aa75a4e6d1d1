CREATE TYPE "public"."checkout_status" AS ENUM('open', 'completed', 'expired');--> statement-breakpoint
CREATE TYPE "public"."member_role" AS ENUM('owner', 'admin', 'member', 'billing', 'viewer');--> statement-breakpoint
CREATE TYPE "public"."plan_id" AS ENUM('starter', 'pro', 'scale', 'enterprise');--> statement-breakpoint
-- Hand-ordered (drizzle-kit set the enum default before changing the type, which a
-- text column holding a default cannot take): drop each default, change the type,
-- then set the default again.
ALTER TABLE "checkouts" ALTER COLUMN "plan" SET DATA TYPE "public"."plan_id" USING "plan"::"public"."plan_id";--> statement-breakpoint
ALTER TABLE "checkouts" ALTER COLUMN "status" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "checkouts" ALTER COLUMN "status" SET DATA TYPE "public"."checkout_status" USING "status"::"public"."checkout_status";--> statement-breakpoint
ALTER TABLE "checkouts" ALTER COLUMN "status" SET DEFAULT 'open'::"public"."checkout_status";--> statement-breakpoint
ALTER TABLE "organizations" ALTER COLUMN "plan" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "organizations" ALTER COLUMN "plan" SET DATA TYPE "public"."plan_id" USING "plan"::"public"."plan_id";--> statement-breakpoint
ALTER TABLE "organizations" ALTER COLUMN "plan" SET DEFAULT 'starter'::"public"."plan_id";--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "role" "member_role" DEFAULT 'member' NOT NULL;--> statement-breakpoint
-- Roles arrive: everyone who is a member today could do everything, so every
-- existing member becomes an owner (nobody loses a power); new members default
-- to member, and an org's creator is made its owner by lib/orgs/organizations.ts.
ALTER TABLE "memberships" ADD COLUMN "role" "member_role" DEFAULT 'owner' NOT NULL;--> statement-breakpoint
ALTER TABLE "memberships" ALTER COLUMN "role" SET DEFAULT 'member';
