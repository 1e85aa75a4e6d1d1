import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { activityEntriesHtml } from "@/components/activity/activity-entry-html";
import { ActivityIconSprite, iconOf } from "@/components/activity/activity-icon";
import type { Activity } from "@/db/schema";
import { csvField } from "@/lib/activity/export";
import { describeActivity } from "@/lib/activity/feed";
import { ACTIVITY_TYPES, isActivityType, type ActivityType } from "@/lib/activity/types";
import { toActivityView } from "@/lib/activity/view";
import type { ActivityEntryView } from "@/lib/shared/activity-entry";

const KNOWN_COLOURS = ["green", "red", "blue", "grey"];
const types = Object.keys(ACTIVITY_TYPES) as ActivityType[];

function entry(overrides: Partial<Activity> = {}): Activity {
  return {
    id: 42,
    orgId: "00000000-0000-4000-8000-000000000001",
    type: "organization.renamed",
    actorUserId: "00000000-0000-4000-8000-000000000002",
    actorTokenId: null,
    actorTokenName: null,
    actorName: "Ada Lovelace",
    actorEmail: "ada@example.test",
    targetType: "organization",
    targetId: "00000000-0000-4000-8000-000000000001",
    targetLabel: "acme",
    metadata: {},
    ip: "203.0.113.7",
    userAgent: "vitest",
    createdAt: new Date("2026-01-02T03:04:05.678Z"),
    ...overrides,
  };
}

const sampleEntry: ActivityEntryView = {
  id: 1,
  type: "organization.created",
  object: "organization",
  colour: "green",
  sentence: "Created the organization",
  actorName: "Ada",
  actorEmail: "ada@example.test",
  targetLabel: null,
  targetHref: null,
  createdAt: "2026-01-02T03:04:05.000Z",
};

describe("the vocabulary (ACTIVITY_TYPES)", () => {
  it("has every kind of change written so far", () => {
    expect(types).toEqual(
      expect.arrayContaining([
        "organization.created",
        "organization.renamed",
        "organization.two_factor_required",
        "organization.two_factor_not_required",
        "member.joined",
        "member.left",
        "member.removed",
        "invitation.sent",
        "invitation.resent",
        "invitation.removed",
        "invitation.declined",
      ]),
    );
  });

  it.each(types)("%s has a known colour, an object the timeline has an icon for, a sentence and an object.verb name", (type) => {
    const kind = ACTIVITY_TYPES[type];
    expect(KNOWN_COLOURS).toContain(kind.colour);
    expect(type.split(".")[0]).toBe(kind.object);
    expect(type).toMatch(/^[a-z_]+\.[a-z_]+$/);
    expect(kind.sentence).toMatch(/^[A-Z].*[^.\s]$/);
    expect(isActivityType(type)).toBe(true);
    // The timeline's icon (components/activity/activity-icon.tsx): a real icon, not the fallback, and a colour class.
    expect(iconOf(kind.object)).toBe(kind.object);
    const sprite = renderToStaticMarkup(createElement(ActivityIconSprite, { objects: [kind.object] }));
    expect(sprite).not.toContain("lucide-circle-dot");
    const entry = activityEntriesHtml([{ ...sampleEntry, type, object: kind.object, colour: kind.colour }]).value;
    expect(entry).not.toContain("undefined");
    expect(entry).toContain(`data-colour="${kind.colour}"`);
    expect(entry).toContain(`href="#activity-icon-${kind.object}"`);
  });

  it("the fallback icon is what an unknown object gets (control of the check above)", () => {
    expect(iconOf("something-else")).toBe("other");
    expect(renderToStaticMarkup(createElement(ActivityIconSprite, { objects: ["something-else"] }))).toContain("lucide-circle-dot");
  });

  it("an entry's markup escapes what members typed", () => {
    const entry = activityEntriesHtml([
      {
        ...sampleEntry,
        actorName: '<img src=x onerror="alert(1)">',
        actorEmail: 'a"b@x.test',
        targetLabel: "<script>",
        targetHref: '/orgs/x/apps/"q',
      },
    ]).value;
    expect(entry).not.toContain("<img");
    expect(entry).not.toContain("<script>");
    expect(entry).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(entry).toContain('title="a&quot;b@x.test"');
    expect(entry).toContain('href="/orgs/x/apps/&quot;q"');
  });

  it("isActivityType refuses unknown and prototype names", () => {
    for (const value of [
      "",
      "organization",
      "organization.exploded",
      "toString",
      "__proto__",
      "constructor",
      "hasOwnProperty",
      "ORGANIZATION.CREATED",
    ]) {
      expect(isActivityType(value), value).toBe(false);
    }
  });
});

describe("describeActivity", () => {
  it.each(types)("%s: the vocabulary's sentence", (type) => {
    expect(describeActivity({ type, actorTokenName: null })).toBe(ACTIVITY_TYPES[type].sentence);
  });

  it('adds "using API token NAME" when the change came with an API token', () => {
    expect(describeActivity({ type: "member.removed", actorTokenName: "deploy-bot" })).toBe(
      "Removed a member from the organization using API token deploy-bot",
    );
    expect(describeActivity({ type: "app.scaled", actorTokenName: "ci" })).toBe("app.scaled using API token ci");
  });

  it("an unknown type reads as the raw type", () => {
    expect(describeActivity({ type: "billing.plan_changed", actorTokenName: null })).toBe("billing.plan_changed");
    expect(describeActivity({ type: "toString", actorTokenName: null })).toBe("toString");
  });
});

describe("toActivityView", () => {
  it.each(types)("%s: colour and object from the vocabulary", (type) => {
    const view = toActivityView(entry({ type }), "acme");
    expect(view).toMatchObject({
      type,
      colour: ACTIVITY_TYPES[type].colour,
      object: ACTIVITY_TYPES[type].object,
      sentence: ACTIVITY_TYPES[type].sentence,
    });
  });

  it("an unknown type falls back to grey, object other, and the raw type as sentence", () => {
    expect(toActivityView(entry({ type: "quota.raised", targetType: "quota" }), "acme")).toMatchObject({
      type: "quota.raised",
      colour: "grey",
      object: "other",
      sentence: "quota.raised",
      targetHref: null,
    });
    expect(toActivityView(entry({ type: "__proto__" }), "acme")).toMatchObject({ colour: "grey", object: "other", sentence: "__proto__" });
  });

  it("carries the snapshot, the token suffix, an ISO time and a link per target type", () => {
    const view = toActivityView(entry({ actorTokenName: "deploy-bot" }), "acme");
    expect(view).toEqual({
      id: 42,
      type: "organization.renamed",
      object: "organization",
      colour: "blue",
      sentence: "Renamed the organization using API token deploy-bot",
      actorName: "Ada Lovelace",
      actorEmail: "ada@example.test",
      targetLabel: "acme",
      targetHref: "/orgs/acme",
      createdAt: "2026-01-02T03:04:05.678Z",
    });
    expect(toActivityView(entry({ type: "member.left", targetType: "user", targetLabel: "a+b@example.test" }), "acme").targetHref).toBe(
      "/orgs/acme/members?q=a%2Bb%40example.test",
    );
    expect(
      toActivityView(entry({ type: "invitation.sent", targetType: "invitation", targetLabel: "x@example.test" }), "acme").targetHref,
    ).toBe("/orgs/acme/invitations");
    expect(toActivityView(entry({ targetType: null, targetLabel: null }), "acme").targetHref).toBeNull();
  });
});

describe("csvField", () => {
  it.each([
    ["plain", "plain"],
    ["", ""],
    [null, ""],
    [undefined, ""],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["line\nbreak", '"line\nbreak"'],
    ["cr\rlf", '"cr\rlf"'],
    ['a,"b"\nc', '"a,""b""\nc"'],
    ["=1+2", "'=1+2"],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ["-2", "'-2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tTAB", "'\tTAB"],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ["a=b", "a=b"],
  ])("%j → %j", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });
});
