import { EngineError } from "./errors";
import type { Core } from "./core";
import type { Ctx } from "./http";
import type { VectorIngestor } from "./ingest";
import type { Generation } from "./model/types";
import type { Runner } from "./runner";

export interface Services {
  core: Core;
  runner: Runner;
  ingestor: VectorIngestor;
}

export interface Route {
  method: "GET" | "POST" | "DELETE";
  /** Path after the API prefix, with `:name` parameters. */
  path: string;
  /** Only this generation has the endpoint; the other gets Azure's 404. */
  only?: Generation;
  handler(s: Services, ctx: Ctx): Promise<Response> | Response;
}

/** Unknown body parameters are refused, as Azure's closed request schemas do. */
export function rejectUnknown(body: Record<string, unknown>, allowed: readonly string[], prefix = ""): void {
  for (const k of Object.keys(body)) {
    if (!allowed.includes(k)) {
      const param = prefix ? `${prefix}.${k}` : k;
      throw new UnknownParameter(param);
    }
  }
}

class UnknownParameter extends EngineError {
  constructor(param: string) {
    super(400, {
      code: "unknown_parameter",
      message: `Unknown parameter: '${param}'.`,
      param,
      type: "invalid_request_error",
    });
  }
}
