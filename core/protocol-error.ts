/**
 * The one error the protocol's decoders throw (core/protocol.ts, core/awareness-entries.ts), in a module of its own so
 * both can use it without importing each other. A room answers it with close 1007; RoomClient ignores the frame.
 */

/**
 * Thrown for a frame or payload that is not a well-formed message.
 * @example try { decodeMessage(frame); } catch (error) { if (error instanceof ProtocolError) ws.close(1007, error.message); }
 */
export class ProtocolError extends Error {
  override name = "ProtocolError";
}
