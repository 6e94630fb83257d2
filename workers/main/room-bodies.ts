/**
 * Request bodies of the room routes, parsed by the Worker into the typed inputs of the room's calls
 * (workers/durable-objects/room-api.ts). A body that does not parse becomes the refusal it earns, which the room answers
 * after its own checks. Sizes are limited before this by hono's bodyLimit, inline on each route (live-routes.ts).
 */
import { isChatModel, type ChatModel } from "../platform/ai-models.js";
import { refuse, done, type FileBody, type Parsed, type PermissionsChange, type Question } from "../durable-objects/room-api.js";
import { parsePermissionsUpdate } from "../durable-objects/room-permissions.js";

/** Longest question, in characters. */
export const MAX_QUESTION_CHARS = 8_000;
/** Longest author name, in characters. */
export const MAX_AUTHOR_CHARS = 64;
/** Largest `POST /live/<room>/chat` body: an 8000-character question in JSON, with room for escapes. */
export const MAX_CHAT_BODY_BYTES = 64 * 1024;

/** A chat message id in a path: what core/chat.ts mints. */
const MESSAGE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * True when `id` can name a chat message.
 * @example isMessageId("m_abc123") // true
 */
export function isMessageId(id: string): boolean {
  return MESSAGE_ID.test(id);
}

/**
 * A PUT file body: UTF-8 text (415 otherwise, a BOM kept as written).
 * @example const file = parseFileBody(new Uint8Array(await c.req.arrayBuffer()));
 */
export function parseFileBody(body: Uint8Array): Parsed<FileBody> {
  try {
    return done({ text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(body), bytes: body.byteLength });
  } catch {
    return refuse(415, "file content must be UTF-8 text");
  }
}

/**
 * A `POST /live/<room>/chat` body, `{text, model, author}`, against the models this server allows (AI_MODELS).
 * @example parseQuestion('{"text":"hi","model":"gpt-4o-mini","author":"ada"}', ["gpt-4o-mini"]).ok // true
 */
export function parseQuestion(body: string, allowed: readonly ChatModel[]): Parsed<Question> {
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch {
    return refuse(400, "the body must be JSON: {text, model, author}");
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) return refuse(400, "the body must be a JSON object: {text, model, author}");
  const { text, model, author } = input as Record<string, unknown>;
  if (typeof text !== "string" || text.trim().length === 0) return refuse(400, "text must be a non-empty string");
  if (text.length > MAX_QUESTION_CHARS) return refuse(400, `text is longer than ${MAX_QUESTION_CHARS} characters`);
  const choices = allowed.length > 0 ? `use one of ${allowed.join(", ")}` : "this server allows no model (AI_MODELS)";
  if (typeof model !== "string") return refuse(400, `model must be a string; ${choices}`);
  if (!isChatModel(model)) return refuse(400, `unknown model "${model.slice(0, 64)}"; ${choices}`);
  if (!allowed.includes(model)) return refuse(400, `model "${model}" is not allowed on this server; ${choices}`);
  if (typeof author !== "string" || author.trim().length === 0 || author.length > MAX_AUTHOR_CHARS) {
    return refuse(400, `author must be 1-${MAX_AUTHOR_CHARS} characters`);
  }
  return done({ text, model, author });
}

/**
 * A `PUT /live/<room>/permissions` body, `{visibility, editors?, members?, claimToken?}`.
 * @example parsePermissionsChange('{"visibility":"readonly"}') // { ok: true, value: { update: { visibility: "readonly" } } }
 */
export function parsePermissionsChange(body: string): Parsed<PermissionsChange> {
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch {
    return refuse(400, "the body must be JSON: {visibility, editors?, members?, claimToken?}");
  }
  let claimToken: string | undefined;
  if (typeof input === "object" && input !== null && !Array.isArray(input) && "claimToken" in input) {
    const { claimToken: token, ...rest } = input as Record<string, unknown>;
    if (typeof token !== "string") return refuse(400, "claimToken must be the string the room gave the page that created it");
    claimToken = token;
    input = rest;
  }
  const parsed = parsePermissionsUpdate(input);
  if (!parsed.ok) return refuse(400, parsed.error);
  return done(claimToken === undefined ? { update: parsed.update } : { update: parsed.update, claimToken });
}
