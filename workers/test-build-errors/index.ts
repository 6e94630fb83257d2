/**
 * The main Worker plus one route that calls build-diagnostics.ts's buildErrors, for tests only
 * (workers/main/console.test.ts starts it through startTestWorker's `entrypoint`; never deployed). In production
 * buildErrors is reached through the MCP tool `get_build_errors`; this route lets its test run against the real Worker,
 * CodeRoom and transpiler Worker without an MCP client:
 *   `GET /api/test-build-errors/<room>`  -> 200 BuildError[] | the room's refusal
 */
import { buildErrors } from "../main/build-diagnostics.js";
import { refusal, callerOf } from "../main/room-answer.js";
import { authenticate } from "../main/authenticate.js";
import app from "../main/index.js";

export { CodeRoom, Metrics, RateLimiter } from "../main/index.js";

app.get("/api/test-build-errors/:room", authenticate(), async (c) => {
  const room = c.req.param("room");
  const result = await buildErrors(c.env, room, callerOf(c));
  return result.ok ? c.json(result.value) : refusal(c, result);
});

export default app;
