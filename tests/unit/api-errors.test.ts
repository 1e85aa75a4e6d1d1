import { describe, expect, it } from "vitest";

import { declaresTooLarge, readBodyText } from "@/lib/api/body";
import { appErrorResponse } from "@/lib/api/errors";
import { AppError, type AppErrorCode } from "@/lib/core/errors";

describe("appErrorResponse", () => {
  const cases: Array<[AppErrorCode, number]> = [
    ["not_found", 404],
    ["validation", 422],
    ["conflict", 409],
    ["limit_reached", 409],
    ["rate_limited", 429],
    ["forbidden", 403],
    ["unauthorized", 401],
  ];
  it.each(cases)("maps %s to %i, keeping the code and message", async (code, status) => {
    const response = appErrorResponse(new AppError(code, `Because of ${code}.`, code === "validation" ? { name: ["Too long."] } : {}));
    expect(response.status).toBe(status);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    if (code === "unauthorized") expect(body.error.code).toBe("unauthorized");
    else
      expect(body).toEqual({
        error: { code, message: `Because of ${code}.`, ...(code === "validation" ? { fields: { name: ["Too long."] } } : {}) },
      });
    if (code === "rate_limited") expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("a validation error without field errors still carries `fields`", async () => {
    expect(await appErrorResponse(new AppError("validation", "Enter a new name or a new value.")).json()).toEqual({
      error: { code: "validation", message: "Enter a new name or a new value.", fields: {} },
    });
  });
});

describe("body limits", () => {
  const request = (headers: Record<string, string>, body?: BodyInit) =>
    new Request("http://localhost/api/v1/apps", { method: "POST", headers, body });

  it("declaresTooLarge reads Content-Length only when it is a number", () => {
    expect(declaresTooLarge(request({ "content-length": "1048577" }))).toBe(true);
    expect(declaresTooLarge(request({ "content-length": "1048576" }))).toBe(false);
    expect(declaresTooLarge(request({ "content-length": "lots" }))).toBe(false);
    expect(declaresTooLarge(request({}))).toBe(false);
  });

  it("readBodyText stops at the limit, counting bytes (not characters)", async () => {
    expect(await readBodyText(request({}, "é".repeat(6)), 12)).toEqual({ ok: true, text: "éééééé" });
    expect(await readBodyText(request({}, "é".repeat(7)), 12)).toEqual({ ok: false, problem: "too_large" });
    expect(await readBodyText(request({}))).toEqual({ ok: true, text: "" });
    expect(await readBodyText(request({}, new Uint8Array([0xc3])))).toEqual({ ok: false, problem: "not_utf8" });
  });
});
