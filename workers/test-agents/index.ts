/**
 * The main Worker with one extra route, for tests only (workers/durable-objects/room-agents.test.ts and
 * elements/spike-chat-agent.e2e.test.ts start it through startTestWorker's `entrypoint`; never deployed): the real Worker
 * and the real CodeRoom, plus a way to make the room's agent calls (CodeRoom `agentChange` and `agentPresence`) before or
 * without the MCP endpoint:
 *   `POST /api/test-agent/<room>` `{op: "change", agent, change, userId?}` -> `{status, value?, error?}`
 *   `POST /api/test-agent/<room>` `{op: "presence", agent, file?, userId?}` -> the same
 * `userId` makes the call as that signed-in user (anonymous when absent).
 */
import type { AgentChange, AgentInfo, RoomCaller } from "../durable-objects/room-api.js";
import type { Env } from "../platform/env.js";
import app from "../main/index.js";

export { CodeRoom, Metrics, RateLimiter } from "../main/index.js";

interface AgentCall {
  op: "change" | "presence";
  agent: AgentInfo;
  change?: AgentChange;
  file?: string;
  userId?: string;
}

app.post("/api/test-agent/:room", async (c) => {
  const room = c.req.param("room");
  const call = (await c.req.json()) as AgentCall;
  const { CODE_ROOM } = c.env as Env;
  const stub = CODE_ROOM.get(CODE_ROOM.idFromName(room));
  const caller: RoomCaller = {
    room,
    identity: call.userId ? { userId: call.userId, sessionId: null, expiresAt: Date.now() + 300_000 } : null,
    ip: "127.0.0.1",
  };
  const result =
    call.op === "change" ? await stub.agentChange(caller, call.agent, call.change!) : await stub.agentPresence(caller, call.agent, call.file);
  return c.json(result.ok ? { status: 200, value: result.value } : { status: result.status, error: result.error });
});

export default app;
