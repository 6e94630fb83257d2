/**
 * The main Worker with faults on demand, for tests only (workers/main/error-tracking.test.ts starts it through
 * startTestWorker's `entrypoint`; never deployed). Everything is the real Worker and the real CodeRoom, wrapped by the real
 * error reporting, except three failures a test can cause:
 *   `POST /api/test-fault`                              throws in a route, after reading its body;
 *   `PUT /live/faulty-<…>/files/<name>`                 throws in the room's writeFile (a Durable Object RPC method);
 *   a text frame `"fault"` on a room's socket           throws in the room's webSocketMessage.
 */
import type { Parsed } from "../durable-objects/room-api.js";
import type { FileBody, RoomCaller } from "../durable-objects/room-api.js";
import { CodeRoom as CodeRoomObject } from "../durable-objects/code-room.js";
import { reportingErrors } from "../durable-objects/object-errors.js";
import app from "../main/index.js";

export { Metrics, RateLimiter } from "../main/index.js";

/** Thrown by every fault: a fixed message, so a test can tell the report carries nothing else. */
const FAULT_MESSAGE = "injected fault";

class FaultyRoom extends CodeRoomObject {
  override writeFile(caller: RoomCaller, name: string, body: Parsed<FileBody>) {
    if (caller.room.startsWith("faulty-")) throw new Error(`${FAULT_MESSAGE} in writeFile`);
    return super.writeFile(caller, name, body);
  }

  override webSocketMessage(ws: WebSocket, message: ArrayBuffer | string): Promise<void> {
    if (message === "fault") throw new Error(`${FAULT_MESSAGE} in webSocketMessage`);
    return super.webSocketMessage(ws, message);
  }
}

export const CodeRoom = reportingErrors("CodeRoom", FaultyRoom);

app.post("/api/test-fault", async (c) => {
  await c.req.text();
  throw new Error(`${FAULT_MESSAGE} in a route`);
});

export default app;
