import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";

import { decodeSessionCookie, findSessionCookie, sessionCookieName } from "@/lib/next/session-cookie";

const secret = "test-secret-for-the-session-cookie-0123456789";
const name = "authjs.session-token";
const claims = { sub: "3f1c6a52-7a0e-4a8e-9a39-6f1f6d1b2c3d", sv: 2, sid: "0b7e3c1e-5d0a-4c55-8f0a-2a1f7c9d4e6b" };
// A cookie as next-auth writes it at sign-in (lib/next/next-auth.ts's jwt callback).
const issue = (options: { maxAge?: number; salt?: string; secret?: string } = {}) =>
  encode({ token: claims, secret: options.secret ?? secret, salt: options.salt ?? name, maxAge: options.maxAge ?? 3600 });
const expected = { userId: claims.sub, sessionVersion: claims.sv, sessionId: claims.sid };

describe("the session cookie, read without next-auth's auth()", () => {
  it("a cookie next-auth issued gives its user, session version and session id", async () => {
    expect(await decodeSessionCookie(await issue(), { secret, name })).toEqual(expected);
  });

  it("a tampered, forged or foreign cookie counts as signed out, beside a valid one", async () => {
    const valid = await issue();
    expect(await decodeSessionCookie(valid, { secret, name })).toEqual(expected);
    // One character changed in the ciphertext, then in the authentication tag.
    const parts = valid.split(".");
    const flip = (text: string) => (text[5] === "A" ? "B" : "A") + text.slice(1);
    const flipAt5 = (text: string) => text.slice(0, 5) + flip(text.slice(5));
    expect(await decodeSessionCookie([...parts.slice(0, 3), flipAt5(parts[3]!), parts[4]].join("."), { secret, name })).toBeUndefined();
    expect(await decodeSessionCookie([...parts.slice(0, 4), flipAt5(parts[4]!)].join("."), { secret, name })).toBeUndefined();
    expect(await decodeSessionCookie("not-a-token", { secret, name })).toBeUndefined();
    // Another secret (another deployment), or the other cookie name (the salt): no key fits.
    expect(await decodeSessionCookie(await issue({ secret: `${secret}-other` }), { secret, name })).toBeUndefined();
    expect(await decodeSessionCookie(await issue({ salt: `__Secure-${name}` }), { secret, name })).toBeUndefined();
  });

  it("an expired cookie counts as signed out, and a remembered one stops working at its expiry", async () => {
    expect(await decodeSessionCookie(await issue({ maxAge: -60 }), { secret, name })).toBeUndefined();

    const token = await issue({ maxAge: 60 });
    expect(await decodeSessionCookie(token, { secret, name })).toEqual(expected);
    // Remembered: the same cookie again within its lifetime (and jose's 15 s of leeway).
    expect(await decodeSessionCookie(token, { secret, name, now: Date.now() + 70_000 })).toEqual(expected);
    expect(await decodeSessionCookie(token, { secret, name, now: Date.now() + 80_000 })).toBeUndefined();
  });

  it("claims of the wrong type are left out, as next-auth's session callback does", async () => {
    const token = await encode({ token: { sub: "u", sv: "2", sid: 7 }, secret, salt: name });
    expect(await decodeSessionCookie(token, { secret, name })).toEqual({ userId: "u", sessionVersion: undefined, sessionId: undefined });
  });

  it("finds the cookie by next-auth's name; leaves a chunked one to next-auth", () => {
    expect(findSessionCookie("", name)).toBeUndefined();
    expect(findSessionCookie("theme=dark", name)).toBeUndefined();
    expect(findSessionCookie(`theme=dark; ${name}=abc.def; other=1`, name)).toBe("abc.def");
    expect(findSessionCookie(`${name}=`, name)).toBeUndefined();
    expect(findSessionCookie(`${name}=first; ${name}=second`, name)).toBe("first");
    expect(findSessionCookie(`${name}.0=abc; ${name}.1=def`, name)).toBe("chunked");
    // Over http the secure cookie is another cookie, not this one.
    expect(findSessionCookie(`__Secure-${name}=abc`, name)).toBeUndefined();
  });

  it("names the cookie as next-auth does: __Secure- when the request's URL is https", () => {
    expect(sessionCookieName({ forwardedProto: "http" })).toBe(name);
    expect(sessionCookieName({ forwardedProto: "https" })).toBe(`__Secure-${name}`);
    expect(sessionCookieName({ forwardedProto: null })).toBe(`__Secure-${name}`);
    expect(sessionCookieName({ forwardedProto: "http", configuredUrl: "https://console.example.com" })).toBe(`__Secure-${name}`);
    expect(sessionCookieName({ forwardedProto: "https", configuredUrl: "http://localhost:3000" })).toBe(name);
  });
});
