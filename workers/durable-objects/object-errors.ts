/**
 * Unhandled errors of a Durable Object class: every entry point (fetch, alarm, the WebSocket handlers and each RPC method)
 * of the class is wrapped once, at export, so a throw or a rejection is counted as `errors.object.<class>`, listed on
 * `/admin` and, with SENTRY_DSN set, sent to Sentry, then rethrown unchanged. On success the wrapper adds one call and, for
 * an async method, one `then`: the room's WebSocket path stays what it was (README "Logs and monitoring" has the figures).
 */
import { DurableObject } from "cloudflare:workers";
import { reportError, type ErrorContext } from "../platform/error-reports.js";
import type { Env } from "../platform/env.js";

/**
 * A method an object may define (a symbol, so RPC never exposes it) naming the room and request of a failed call.
 * @example [errorContext](method: string, args: unknown[]) { return { room: this.#storage.roomName }; }
 */
export const errorContext = Symbol("errorContext");

/** What an object's {@link errorContext} method answers. */
export type ObjectErrorContext = Pick<ErrorContext, "room" | "requestId">;

interface WithErrorContext {
  [errorContext]?(method: string, args: unknown[]): ObjectErrorContext;
}

type ObjectClass = abstract new (ctx: DurableObjectState, env: Env) => DurableObject<Env>;

/**
 * `Base` with every entry point reporting its unhandled errors under the class name `name`.
 * @example export const CodeRoom = reportingErrors("CodeRoom", CodeRoomObject);
 */
export function reportingErrors<C extends ObjectClass>(name: string, Base: C): C {
  // @ts-expect-error: a mixin over an abstract constructor; TypeScript cannot check the spread constructor signature.
  const Reporting = class extends Base {};
  Object.defineProperty(Reporting, "name", { value: name });
  for (const method of methodsOf(Base.prototype)) {
    const original = (Base.prototype as Record<string, unknown>)[method] as (...args: unknown[]) => unknown;
    const wrapped = function (this: DurableObject<Env> & WithErrorContext, ...args: unknown[]): unknown {
      const failed = (error: unknown): never => {
        report(this, name, method, args, error);
        throw error;
      };
      try {
        const result = original.apply(this, args);
        return result instanceof Promise ? result.then(undefined, failed) : result;
      } catch (error) {
        return failed(error);
      }
    };
    Object.defineProperty(wrapped, "name", { value: method });
    Object.defineProperty(Reporting.prototype, method, { value: wrapped, writable: true, configurable: true });
  }
  return Reporting as unknown as C;
}

/** Methods of the class and its ancestors up to (not including) the runtime's DurableObject. */
function methodsOf(prototype: object): string[] {
  const names = new Set<string>();
  for (let current = prototype; current && current !== DurableObject.prototype; current = Object.getPrototypeOf(current)) {
    for (const name of Object.getOwnPropertyNames(current)) {
      const descriptor = Object.getOwnPropertyDescriptor(current, name);
      if (name !== "constructor" && typeof descriptor?.value === "function") names.add(name);
    }
  }
  return [...names];
}

function report(object: DurableObject<Env> & WithErrorContext, name: string, method: string, args: unknown[], error: unknown): void {
  let context: ObjectErrorContext = {};
  try {
    context = object[errorContext]?.(method, args) ?? {};
  } catch {
    // The context is a courtesy; the error is what matters.
  }
  // `env` is protected on DurableObject; the wrapper is part of the class it wraps.
  const env = (object as unknown as { env: Env }).env;
  reportError(env, error, { worker: "spike", object: name, method, ...context });
}
