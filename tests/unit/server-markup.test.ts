import { afterEach, describe, expect, it, vi } from "vitest";

import { memberRowsHtml, type MemberRowPermissions, type MemberRowView } from "@/components/members/member-row-html";
import { stashMarkup, takeStashedMarkup } from "@/components/ui/markup-stash";
import { escapeHtml, markup } from "@/lib/shared/html";

describe("markup (lib/shared/html.ts)", () => {
  it("escapes every interpolated value and keeps nested markup as is", () => {
    const name = `<img src=x onerror="alert('x')">&`;
    const out = markup`<p title="${name}">${name}${markup`<b>${"<i>"}</b>`}${[1, "<", null, undefined, false]}</p>`;
    expect(out.value).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;<b>&lt;i&gt;</b>1&lt;</p>',
    );
    expect(escapeHtml(`a&b<c>"d'`)).toBe("a&amp;b&lt;c&gt;&quot;d&#39;");
  });
});

describe("the markup stash (components/ui/markup-stash.ts)", () => {
  afterEach(() => vi.useRealTimers());

  it("gives the markup back by its key, for a moment after it was taken, and drops what nobody took", () => {
    vi.useFakeTimers();
    const taken = stashMarkup("<li>a</li>");
    const untaken = stashMarkup("<li>b</li>");
    expect(taken).not.toBe(untaken);
    expect(takeStashedMarkup(taken)).toBe("<li>a</li>");
    expect(takeStashedMarkup(taken)).toBe("<li>a</li>"); // a retried render
    expect(takeStashedMarkup("no-such-key")).toBeUndefined();
    vi.advanceTimersByTime(1_500);
    stashMarkup("<li>c</li>"); // sweeps
    expect(takeStashedMarkup(taken)).toBeUndefined();
    expect(takeStashedMarkup(untaken)).toBe("<li>b</li>");
    vi.advanceTimersByTime(20_000);
    stashMarkup("<li>d</li>");
    expect(takeStashedMarkup(untaken)).toBeUndefined();
  });
});

describe("the members list's rows (components/members/member-row-html.ts)", () => {
  const viewer: MemberRowView = {
    userId: "u-1",
    name: "Olivia Owner",
    email: "o@x.test",
    role: "owner",
    joinedAt: new Date("2026-01-01T00:00:00Z"),
  };
  const other: MemberRowView = {
    userId: "u-2",
    name: 'Eve "<script>"',
    email: "e@x.test",
    role: "member",
    joinedAt: new Date("2026-01-02T00:00:00Z"),
  };
  const owner2: MemberRowView = {
    userId: "u-3",
    name: "Otto",
    email: "t@x.test",
    role: "owner",
    joinedAt: new Date("2026-01-03T00:00:00Z"),
  };
  const asOwner: MemberRowPermissions = {
    viewerId: "u-1",
    canChangeRoles: true,
    canRemoveMembers: true,
    canManageOwners: true,
    assignable: ["owner", "admin", "member", "billing", "viewer"],
  };

  it("an owner gets a role select and Remove on others, Leave on their own row; names are escaped", () => {
    const rows = memberRowsHtml([viewer, other], asOwner).value;
    expect(rows.match(/data-testid="member-row"/g)).toHaveLength(2);
    const [own, others] = rows.split("</li>");
    expect(own).toContain('data-key="u-1"');
    expect(own).toContain('data-leave aria-label="Leave organization"');
    expect(own).not.toContain("data-remove");
    expect(others).toContain('data-key="u-2"');
    expect(others).toContain('data-remove aria-label="Remove Eve &quot;&lt;script&gt;&quot;"');
    expect(rows).toContain('aria-label="Role of Eve &quot;&lt;script&gt;&quot;"');
    expect(rows).not.toContain("<script>");
    expect(rows).toContain('<option value="member" selected>Member</option>');
  });

  it("an admin gets no controls on an owner's row and can only give the roles below owner", () => {
    const asAdmin: MemberRowPermissions = {
      ...asOwner,
      viewerId: "u-9",
      canManageOwners: false,
      assignable: ["admin", "member", "billing", "viewer"],
    };
    const rows = memberRowsHtml([owner2, other], asAdmin).value;
    const [ownerRow, memberRow] = rows.split("</li>");
    expect(ownerRow).toContain('data-testid="member-role"');
    expect(ownerRow).not.toContain("<select");
    expect(ownerRow).not.toContain("data-remove");
    expect(memberRow).toContain("<select");
    expect(memberRow).not.toContain('value="owner"');
  });

  it("a member sees badges only", () => {
    const asMember: MemberRowPermissions = {
      viewerId: "u-9",
      canChangeRoles: false,
      canRemoveMembers: false,
      canManageOwners: false,
      assignable: [],
    };
    const rows = memberRowsHtml([owner2, other], asMember).value;
    expect(rows).not.toContain("<select");
    expect(rows).not.toContain("<button");
    expect(rows.match(/data-testid="member-role"/g)).toHaveLength(2);
  });
});
