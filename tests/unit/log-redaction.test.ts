import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";

import { createLogger, errorField } from "@/lib/core/log";

function capture() {
  let out = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  return { logger: createLogger(stream), lines: () => out };
}

describe("logs never carry a secret", () => {
  it("censors tokens, passwords, authorization headers, e-mail bodies and links", () => {
    const { logger, lines } = capture();
    logger.error(
      {
        token: "tok_live_secret",
        password: "hunter2",
        headers: { authorization: "Bearer abc", cookie: "session=abc" },
        html: "<a href=x>",
        request: { url: "https://x/reset-password/abc" },
      },
      "event",
    );
    const out = lines();
    expect(out).toContain('"msg":"event"');
    for (const secret of ["tok_live_secret", "hunter2", "Bearer abc", "session=abc", "<a href=x>", "/reset-password/abc"])
      expect(out).not.toContain(secret);
  });

  it("errorField keeps name, message, code and stack, never the enumerable extras an error may carry", () => {
    const error = Object.assign(new Error("boom"), { code: "E1", request: { headers: { authorization: "Bearer abc" } } });
    const field = errorField(error);
    expect(field).toMatchObject({ name: "Error", message: "boom", code: "E1" });
    expect(JSON.stringify(field)).not.toContain("Bearer abc");
  });
});
