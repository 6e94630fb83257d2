/**
 * A stand-in for the RateLimiter Durable Object (workers/durable-objects/rate-limiter.ts), for tests only: a Worker of its
 * own (wrangler.jsonc beside this file) whose RateLimiter admits everything, except that it can hold one "create" take until the test lets it go. A room
 * awaits that take while it decides on a connect or a write to a room that does not exist yet, so holding it lets a test
 * change the room in between, in a fixed order. Bound in place of the real one with startTestWorker's `bindings`
 * (workers/durable-objects/connect-race.test.ts starts it); never deployed.
 *
 * `POST /hold` holds the next "create" take, `GET /held` counts the takes held so far, `POST /release` lets them go.
 */
import { DurableObject } from "cloudflare:workers";

/** Shared by every RateLimiter instance and the fetch handler: workerd runs them in one isolate. */
const gate = { holdNext: false, holding: false, held: 0 };

export class RateLimiter extends DurableObject {
  /** Admit, after waiting for `/release` when this is the take `/hold` asked for. */
  async take(bucket: { name: string }): Promise<{ ok: true }> {
    if (bucket.name === "create" && gate.holdNext) {
      gate.holdNext = false;
      gate.holding = true;
      gate.held++;
      // Polled, not awaited on a promise: `/release` runs in another request, whose promises this one may not resolve.
      while (gate.holding) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return { ok: true };
  }

  refund(): void {}
}

export default {
  fetch(request: Request): Response {
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname === "/hold") gate.holdNext = true;
    else if (request.method === "POST" && pathname === "/release") gate.holding = false;
    else if (request.method !== "GET" || pathname !== "/held") return new Response("not found", { status: 404 });
    return Response.json({ held: gate.held });
  },
};
