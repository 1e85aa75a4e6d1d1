-- The pages order by (created_at DESC, id DESC), which is NULLS FIRST: an index built
-- DESC NULLS LAST does not match that order, and Postgres fell back to sorting the org's rows.
DROP INDEX "activities_org_created_idx";--> statement-breakpoint
DROP INDEX "activities_org_type_created_idx";--> statement-breakpoint
DROP INDEX "activities_org_actor_created_idx";--> statement-breakpoint
CREATE INDEX "activities_org_created_idx" ON "activities" USING btree ("org_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "activities_org_type_created_idx" ON "activities" USING btree ("org_id","type","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "activities_org_actor_created_idx" ON "activities" USING btree ("org_id","actor_user_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);