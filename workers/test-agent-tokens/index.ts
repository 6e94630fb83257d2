/**
 * The main Worker plus one test-only route that does what `/mcp` does with an agent token, for
 * workers/main/agent-tokens.test.ts (started through startTestWorker's `entrypoint`; never deployed):
 *   `POST /api/test-agent {token, room, call, args}` checks the token with the room it names (the room RPC `agentIdentity`,
 *   by its SHA-256) and then makes the typed room call `call(caller, ...args)` on `room` as the identity it got. Everything
 *   else is the real Worker and the real CodeRoom.
 */
import type { RoomCaller, RoomResult } from "../durable-objects/room-api.js";
import { agentTokenRoom, hashAgentToken } from "../platform/agent-tokens.js";
import type { Env } from "../platform/env.js";
import app from "../main/index.js";

export { CodeRoom, Metrics, RateLimiter } from "../main/index.js";

/** The room calls a test may make as an agent: reads and writes of every kind the permissions decide. */
const CALLS = ["session", "readFile", "writeFile", "chat", "clearChat", "versions", "saveVersion", "agentTokens", "createAgentToken", "assets"] as const;

app.post("/api/test-agent", async (c) => {
  const { token, room, call, args = [] } = await c.req.json<{ token: string; room: string; call: (typeof CALLS)[number]; args?: unknown[] }>();
  const env = c.env as Env;
  const stub = (name: string) => env.CODE_ROOM.get(env.CODE_ROOM.idFromName(name));
  const home = agentTokenRoom(token);
  if (home === null) return c.json({ step: "token", status: 401, error: "not an agent token" });
  const checked = await stub(home).agentIdentity({ room: home, identity: null, ip: "127.0.0.1" }, await hashAgentToken(token));
  if (!checked.ok) return c.json({ step: "identity", status: checked.status, error: checked.error });
  if (!CALLS.includes(call)) return c.json({ step: "call", status: 400, error: `no call "${call}"` });
  const caller: RoomCaller = { room, identity: checked.value.identity, ip: "127.0.0.1" };
  const target = stub(room) as unknown as Record<string, (...input: unknown[]) => Promise<RoomResult<unknown>>>;
  const result = await target[call]!(caller, ...args);
  return c.json({ step: "call", agent: checked.value, ...(result.ok ? { status: 200, value: result.value } : { status: result.status, error: result.error }) });
});

export default app;
