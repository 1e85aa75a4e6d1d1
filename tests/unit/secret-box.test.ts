import { describe, expect, it } from "vitest";

import { openSecret, sealSecret } from "@/lib/secrets/secret-box";

const boundTo = { orgId: "org-1", secretId: "secret-1" };

/** Replaces the tag of a sealed value ("v1.<iv>.<tag>.<ciphertext>"). */
function withTag(sealed: string, change: (tag: Buffer) => Buffer): string {
  const [version, iv, tag, ciphertext] = sealed.split(".") as [string, string, string, string];
  return [version, iv, change(Buffer.from(tag, "base64url")).toString("base64url"), ciphertext].join(".");
}

describe("secret box (AES-256-GCM)", () => {
  it("opens what it sealed, with its full 16-byte tag (positive control)", () => {
    const sealed = sealSecret("postgres://user:pw@db/app", boundTo);
    expect(Buffer.from(sealed.split(".")[2]!, "base64url")).toHaveLength(16);
    expect(openSecret(sealed, boundTo)).toBe("postgres://user:pw@db/app");
  });

  it.each([4, 8, 12, 15])("refuses a tag truncated to %i bytes (a short tag is forgeable)", (length) => {
    const sealed = sealSecret("postgres://user:pw@db/app", boundTo);
    expect(() =>
      openSecret(
        withTag(sealed, (tag) => tag.subarray(0, length)),
        boundTo,
      ),
    ).toThrow();
  });

  it("refuses a tag longer than 16 bytes and another row's binding", () => {
    const sealed = sealSecret("value", boundTo);
    expect(() =>
      openSecret(
        withTag(sealed, (tag) => Buffer.concat([tag, Buffer.alloc(1)])),
        boundTo,
      ),
    ).toThrow();
    expect(() => openSecret(sealed, { ...boundTo, secretId: "secret-2" })).toThrow();
  });
});
