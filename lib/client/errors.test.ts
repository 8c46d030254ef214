import { describe, expect, it } from "vitest";
import { APIConnectionError, APIError } from "openai";
import { PlaygroundHttpError, runEndError, toPlaygroundError } from "./errors";

describe("toPlaygroundError", () => {
  it("keeps the upstream's status, code and message, and adds what to do", () => {
    const err = APIError.generate(
      429,
      { error: { code: "rate_limit_exceeded", message: "Slow down.", type: "requests", param: null } },
      undefined,
      new Headers({ "retry-after": "7" }),
    );
    expect(toPlaygroundError(err)).toEqual({
      status: 429,
      code: "rate_limit_exceeded",
      message: "Slow down.",
      hint: "Too many requests: wait a moment, then try again. The server asks to wait 7 s.",
    });
  });

  it("says the server is unreachable on a connection error", () => {
    const e = toPlaygroundError(new APIConnectionError({ message: "Connection error." }));
    expect(e.status).toBeNull();
    expect(e.hint).toMatch(/playground server is running/);
  });

  it("reads Azure-style bodies from the playground's own endpoints", () => {
    const e = toPlaygroundError(
      PlaygroundHttpError.fromBody(401, { error: { code: "401", message: "Access denied" } }),
    );
    expect(e).toMatchObject({ status: 401, code: "401", message: "Access denied" });
    expect(e.hint).toMatch(/credentials/);
  });
});

describe("runEndError", () => {
  it("turns a failed run's last_error into an error and leaves a completed run alone", () => {
    expect(
      runEndError({ status: "failed", last_error: { code: "server_error", message: "Boom" } }),
    ).toMatchObject({ code: "server_error", message: "Boom" });
    expect(
      runEndError({ status: "incomplete", incomplete_details: { reason: "max_completion_tokens" } })?.message,
    ).toContain("max_completion_tokens");
    expect(runEndError({ status: "completed" })).toBeNull();
  });
});
