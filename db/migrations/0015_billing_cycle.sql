CREATE TYPE "public"."billing_state" AS ENUM('current', 'payment_failed', 'past_due');--> statement-breakpoint
CREATE TYPE "public"."invoice_kind" AS ENUM('period', 'proration', 'final');--> statement-breakpoint
CREATE TYPE "public"."invoice_line_kind" AS ENUM('plan', 'proration', 'usage', 'credit');--> statement-breakpoint
CREATE TYPE "public"."invoice_status" AS ENUM('draft', 'open', 'paid', 'failed', 'void');--> statement-breakpoint
CREATE TYPE "public"."subscription_status" AS ENUM('active', 'canceled');--> statement-breakpoint
CREATE TABLE "app_usage" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"app_id" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "billing_clock" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"offset_seconds" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoice_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"invoice_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"kind" "invoice_line_kind" NOT NULL,
	"description" text NOT NULL,
	"quantity" integer DEFAULT 1 NOT NULL,
	"unit_amount_cents" integer NOT NULL,
	"amount_cents" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoice_numbers" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"last" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"org_id" uuid NOT NULL,
	"org_name" text NOT NULL,
	"kind" "invoice_kind" NOT NULL,
	"plan" "plan_id" NOT NULL,
	"status" "invoice_status" DEFAULT 'draft' NOT NULL,
	"currency" text DEFAULT 'usd' NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"subtotal_cents" integer DEFAULT 0 NOT NULL,
	"tax_cents" integer DEFAULT 0 NOT NULL,
	"total_cents" integer DEFAULT 0 NOT NULL,
	"tax_rate_basis_points" integer DEFAULT 0 NOT NULL,
	"tax_label" text DEFAULT '' NOT NULL,
	"reverse_charge" boolean DEFAULT false NOT NULL,
	"bill_to" jsonb NOT NULL,
	"provider" text NOT NULL,
	"provider_invoice_id" text,
	"issued_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"voided_at" timestamp with time zone,
	"attempt_count" integer DEFAULT 0 NOT NULL,
	"first_failed_at" timestamp with time zone,
	"next_attempt_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pending_invoice_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" "invoice_line_kind" NOT NULL,
	"description" text NOT NULL,
	"amount_cents" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"provider_subscription_id" text,
	"plan" "plan_id" NOT NULL,
	"status" "subscription_status" DEFAULT 'active' NOT NULL,
	"anchor_at" timestamp with time zone NOT NULL,
	"period_number" integer DEFAULT 0 NOT NULL,
	"current_period_start" timestamp with time zone NOT NULL,
	"current_period_end" timestamp with time zone NOT NULL,
	"cancel_at_period_end" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "billing_state" "billing_state" DEFAULT 'current' NOT NULL;--> statement-breakpoint
ALTER TABLE "app_usage" ADD CONSTRAINT "app_usage_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pending_invoice_items" ADD CONSTRAINT "pending_invoice_items_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "app_usage_org_idx" ON "app_usage" USING btree ("org_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "app_usage_open_unique" ON "app_usage" USING btree ("app_id") WHERE "app_usage"."ended_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_lines_position_unique" ON "invoice_lines" USING btree ("invoice_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_number_unique" ON "invoices" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_org_period_unique" ON "invoices" USING btree ("org_id","period_start") WHERE "invoices"."kind" <> 'proration';--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_provider_invoice_unique" ON "invoices" USING btree ("provider","provider_invoice_id");--> statement-breakpoint
CREATE INDEX "invoices_org_created_idx" ON "invoices" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "invoices_retry_idx" ON "invoices" USING btree ("next_attempt_at") WHERE "invoices"."status" = 'failed';--> statement-breakpoint
CREATE INDEX "pending_invoice_items_org_idx" ON "pending_invoice_items" USING btree ("org_id","created_at");--> statement-breakpoint
INSERT INTO "invoice_numbers" ("id", "last") VALUES (true, 0) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "billing_clock" ("id", "offset_seconds") VALUES (true, 0) ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Apps that existed before usage was recorded start accruing now: nothing is billed for the time before.
INSERT INTO "app_usage" ("org_id", "app_id", "started_at") SELECT "org_id", "id", now() FROM "apps";
--> statement-breakpoint
-- An issued invoice is a record: its number, period, addressee, lines and amounts never change.
-- Only its payment state moves on (open -> paid/failed, failed -> paid, open/failed -> void),
-- and a paid or void invoice stays so. A draft is deleted only as a draft.
CREATE OR REPLACE FUNCTION invoices_immutable() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'invoice % is issued: it cannot be deleted (void it instead)', OLD.number USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'draft' THEN
    RETURN NEW;
  END IF;
  IF (NEW.number, NEW.org_id, NEW.kind, NEW.plan, NEW.currency, NEW.period_start, NEW.period_end,
      NEW.subtotal_cents, NEW.tax_cents, NEW.total_cents, NEW.tax_rate_basis_points, NEW.tax_label,
      NEW.reverse_charge, NEW.bill_to, NEW.issued_at, NEW.provider, NEW.created_at)
     IS DISTINCT FROM
     (OLD.number, OLD.org_id, OLD.kind, OLD.plan, OLD.currency, OLD.period_start, OLD.period_end,
      OLD.subtotal_cents, OLD.tax_cents, OLD.total_cents, OLD.tax_rate_basis_points, OLD.tax_label,
      OLD.reverse_charge, OLD.bill_to, OLD.issued_at, OLD.provider, OLD.created_at) THEN
    RAISE EXCEPTION 'invoice % is issued: its amounts and details cannot change', OLD.number USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.status = 'draft' OR (OLD.status IN ('paid', 'void') AND NEW.status <> OLD.status) THEN
    RAISE EXCEPTION 'invoice % cannot go from % to %', OLD.number, OLD.status, NEW.status USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION invoices_immutable();
--> statement-breakpoint
-- Lines are written while their invoice is a draft, and never after.
CREATE OR REPLACE FUNCTION invoice_lines_immutable() RETURNS trigger AS $$
DECLARE
  invoice_status text;
BEGIN
  SELECT status INTO invoice_status FROM invoices WHERE id = COALESCE(NEW.invoice_id, OLD.invoice_id);
  IF invoice_status IS NOT NULL AND invoice_status <> 'draft' THEN
    RAISE EXCEPTION 'the lines of an issued invoice cannot change' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN COALESCE(NEW, OLD);
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_immutable BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines FOR EACH ROW EXECUTE FUNCTION invoice_lines_immutable();
