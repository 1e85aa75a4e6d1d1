import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";

/*
 * The plan cards without a payment provider: a server with neither Stripe nor the
 * test checkout cannot take a card, so "Upgrade to Pro" must not be offered as if
 * it worked. The buttons are disabled and the reason is said once. Rendered to
 * HTML as the server does; the actions and the router are stubs (never called).
 */
vi.mock("next/navigation", () => ({ useRouter: () => ({ push: () => {}, refresh: () => {} }) }));
vi.mock("@/actions/billing", () => ({ changePlanAction: async () => null, requestEnterpriseAction: async () => null }));

const { PlanCards } = await import("@/components/billing/plan-cards");

const REASON = "Paid plans are not available on this server yet: payments are not configured. Contact support to upgrade.";

function render(props: Record<string, unknown>) {
  return renderToStaticMarkup(
    createElement(PlanCards, { orgName: "acme", currentPlan: "starter", hasPaymentMethod: false, canManage: true, ...props } as never),
  );
}

/** The opening tag of the submit button labelled `label`. */
function buttonTag(html: string, label: string): string {
  const match = new RegExp(`<button[^>]*>(?:(?!</button>).)*${label}`, "s").exec(html);
  expect(match, `a button "${label}"`).not.toBeNull();
  return match![0].slice(0, match![0].indexOf(">") + 1);
}

describe("PlanCards", () => {
  it("without a payment provider: the upgrade buttons are disabled and the reason is said once", () => {
    const html = render({ upgradesUnavailable: REASON });
    expect(buttonTag(html, "Upgrade to Pro")).toMatch(/\sdisabled=""/);
    expect(buttonTag(html, "Upgrade to Scale")).toMatch(/\sdisabled=""/);
    expect(html.split(REASON)).toHaveLength(2);
    // No per-card promise of a payment step that cannot happen.
    expect(html).not.toContain("Asks for billing information and a card.");
  });

  it("positive control: with payments available, the upgrade buttons work", () => {
    const html = render({});
    expect(buttonTag(html, "Upgrade to Pro")).not.toMatch(/\sdisabled=""/);
    expect(html).not.toContain(REASON);
  });

  it("without billing.manage: no plan buttons at all, and one note saying who can change the plan", () => {
    const html = render({ canManage: false, upgradesUnavailable: REASON });
    expect(html).not.toMatch(/<button/);
    expect(html).not.toContain("Upgrade to Pro");
    expect(html).not.toContain(REASON);
    expect(html.split('data-testid="permission-note"')).toHaveLength(2);
    expect(html).toContain('data-permission="billing.manage"');
    expect(html).toContain("Only owners and billing managers can manage the plan, billing information and payment methods.");
  });
});

describe("upgradesUnavailableReason (what the plan page passes)", () => {
  it("gives the reason only when there is neither a payment provider nor a card on file", async () => {
    const { upgradesUnavailableReason } = await import("@/lib/billing/provider");
    expect(upgradesUnavailableReason(false, "none")).toBe(REASON);
    // A card on file: the change applies without a checkout.
    expect(upgradesUnavailableReason(true, "none")).toBeUndefined();
    expect(upgradesUnavailableReason(false, "test")).toBeUndefined();
    expect(upgradesUnavailableReason(false, "stripe")).toBeUndefined();
  });
});
