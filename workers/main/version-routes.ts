/**
 * `/live/<room>/versions…`, `/live/<room>/restores/<id>/undo` and the pinned `/live/<room>/v/<n>/…` files: saved versions
 * of a room (workers/durable-objects/room-versions.ts), each route one typed room call with its limits inline. Pinned
 * files never change, so they are served immutable; a version's `index.js` is bundled once (when the version is saved
 * over HTTP, or on its first request) and then served from R2. See README "Versions" and docs/PROTOCOL.md.
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { RoomSession, Version, VersionInfo } from "../../core/api.js";
import { isValidFileName } from "../../core/project.js";
import { done, refuse, type Parsed } from "../durable-objects/room-api.js";
import { contentTypeOf } from "../durable-objects/room-files.js";
import type { VersionRequest } from "../durable-objects/room-version-calls.js";
import { MAX_VERSION_NAME_CHARS, versionKeys } from "../durable-objects/room-versions.js";
import type { Env } from "../platform/env.js";
import type { AuthVariables } from "./authenticate.js";
import { limitBody } from "./body-limit.js";
import { offlineImports, toTranspiler } from "./bundle-routes.js";
import { jsonError } from "./errors.js";
import { rateLimit } from "./rate-limit-middleware.js";
import { MAX_AUTHOR_CHARS } from "./room-bodies.js";
import { answer, callerOf, refusal, roomOf } from "./room-answer.js";
import { routeOf } from "./request-log.js";

type LiveEnv = { Bindings: Env; Variables: AuthVariables };
type LiveContext = Context<LiveEnv>;

/** Largest `POST /live/<room>/versions` body: a name and an author, with room for escapes. */
export const MAX_VERSION_BODY_BYTES = 4096;
/** Pinned files never change (a version is immutable); a version of a room the caller had to sign in for stays private. */
const IMMUTABLE = "max-age=31536000, immutable";
/** Pinned files are fetched cross-origin by pages and preview frames on other sites. */
const CORS = { "access-control-allow-origin": "*" } as const;
/** A restore's undo id, as room-version-calls.ts makes them. */
const RESTORE_ID = /^[0-9a-z]{9}-[0-9a-f]{8}$/;

const PINNED = "/:room/v/:n{[^/]+}";

/**
 * Add the version routes to the room routes (mounted under `/live`).
 * @example versionRoutes(live);
 */
export function versionRoutes(live: Hono<LiveEnv>): void {
  live.post("/:room/versions", rateLimit({ bucket: "upload" }), limitBody("version request", MAX_VERSION_BODY_BYTES), async (c) => {
    const body = parseVersionRequest(await c.req.text());
    const saved = await roomOf(c).saveVersion(callerOf(c), body);
    if (!saved.ok) return refusal(c, saved);
    // The version is saved; its bundle is an extra the first `GET …/v/<n>/index.js` makes again if it fails here.
    await storeBundle(c, saved.value).catch((error: unknown) =>
      console.error(JSON.stringify({ level: "error", route: routeOf(c), message: (error as Error).message })),
    );
    return c.json(info(saved.value) satisfies VersionInfo, 201);
  });
  live.get("/:room/versions", rateLimit({ bucket: "read" }), (c) => answer(c, roomOf(c).versions(callerOf(c)), (list) => c.json(list)));
  live.all("/:room/versions", (c) => jsonError(c, 405, `method ${c.req.method} not allowed on versions`));

  live.get("/:room/versions/:n", rateLimit({ bucket: "read" }), versionNumber(), (c) =>
    answer(c, roomOf(c).version(callerOf(c), numberOf(c)), (version) => c.json(version satisfies Version)),
  );
  live.post("/:room/versions/:n/restore", rateLimit({ bucket: "upload" }), versionNumber(), (c) =>
    answer(c, roomOf(c).restoreVersion(callerOf(c), numberOf(c)), (restored) => c.json(restored)),
  );
  live.post("/:room/restores/:id/undo", rateLimit({ bucket: "upload" }), (c) => {
    const id = c.req.param("id");
    if (!RESTORE_ID.test(id)) return jsonError(c, 400, `invalid restore id "${id.slice(0, 40)}"`);
    return answer(c, roomOf(c).undoRestore(callerOf(c), id), (undone) => c.json(undone));
  });

  live.get(`${PINNED}/session.json`, rateLimit({ bucket: "read" }), versionNumber(), (c) =>
    answer(c, roomOf(c).version(callerOf(c), numberOf(c)), (version) => {
      const session: RoomSession = { room: c.req.param("room")!, files: version.files, entry: version.entry, version: version.n, updatedAt: version.createdAt };
      return c.json(session, 200, pinnedHeaders(c));
    }),
  );
  live.get(`${PINNED}/index.tsx`, rateLimit({ bucket: "read" }), versionNumber(), (c) =>
    answer(c, roomOf(c).version(callerOf(c), numberOf(c)), (version) => pinnedFile(c, version, version.entry)),
  );
  live.get(`${PINNED}/files/:name{.+}`, rateLimit({ bucket: "read" }), versionNumber(), async (c) => {
    const name = c.req.param("name");
    if (!isValidFileName(name)) return jsonError(c, 400, `invalid file name "${name}"`);
    return answer(c, roomOf(c).version(callerOf(c), numberOf(c)), (version) => pinnedFile(c, version, name));
  });
  live.get(`${PINNED}/index.js`, rateLimit({ bucket: "compute" }), versionNumber(), pinnedBundle);
}

/** `GET /live/<room>/v/<n>/index.js`: the version's bundle from R2, bundled and stored on its first request. */
async function pinnedBundle(c: LiveContext): Promise<Response> {
  const read = await roomOf(c).version(callerOf(c), numberOf(c));
  if (!read.ok) return refusal(c, read);
  const version = read.value;
  const headers = { ...pinnedHeaders(c), "content-type": "text/javascript; charset=utf-8" };
  const stored = await c.env.ROOMS.get(versionKeys.bundle(c.req.param("room")!, version.n));
  if (stored) return c.body(await stored.text(), 200, { ...headers, "x-spike-cache": "hit" });
  if (!Object.hasOwn(version.files, version.entry)) return c.json({ error: `version ${version.n} has no entry file "${version.entry}"` }, 404, CORS);
  const bundled = await storeBundle(c, version);
  if (bundled instanceof Response) return bundled;
  return c.body(bundled, 200, { ...headers, "x-spike-cache": "miss" });
}

/**
 * Bundle `version` through the transpiler Worker (bundle-routes.ts) and keep the result in R2 beside it. Returns the code,
 * or the answer to give when it could not be bundled (the transpiler's 422 `{errors}` for code that does not build).
 */
async function storeBundle(c: LiveContext, version: Version): Promise<string | Response> {
  if (!Object.hasOwn(version.files, version.entry)) return c.json({ error: `version ${version.n} has no entry file` }, 404, CORS);
  const input = { files: version.files, entry: version.entry, ...(await offlineImports(c.env, new URL(c.req.url).origin)) };
  const response = await toTranspiler(
    c as unknown as Context<{ Bindings: Env }>,
    new Request("https://transpiler.internal/api/bundle", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) }),
  );
  if (response.status !== 200) {
    if (response.status >= 500) {
      console.error(JSON.stringify({ level: "error", route: routeOf(c), transpiler: response.status }));
      return c.json({ error: "the transpiler failed" }, 502, CORS);
    }
    return new Response(response.body, { status: response.status, headers: { ...CORS, "content-type": "application/json" } });
  }
  const { code } = (await response.json()) as { code: string };
  await c.env.ROOMS.put(versionKeys.bundle(c.req.param("room")!, version.n), code, {
    httpMetadata: { contentType: "text/javascript; charset=utf-8" },
  });
  return code;
}

/** One file of a version, typed by its extension; 404 when the version has no such file. */
function pinnedFile(c: LiveContext, version: Version, name: string): Response {
  if (!Object.hasOwn(version.files, name)) return jsonError(c, 404, `version ${version.n} has no file "${name}"`);
  return c.body(version.files[name]!, 200, {
    ...pinnedHeaders(c),
    "content-type": `${contentTypeOf(name)}; charset=utf-8`,
    "x-content-type-options": "nosniff",
  });
}

/** Immutable caching: public for an anonymous read, private when the caller signed in (the room may not be public). */
function pinnedHeaders(c: LiveContext): Record<string, string> {
  return { ...CORS, "cache-control": `${c.get("identity") ? "private" : "public"}, ${IMMUTABLE}` };
}

function info({ n, name, author, createdAt, auto }: VersionInfo): VersionInfo {
  return { n, name, author, createdAt, auto };
}

function numberOf(c: LiveContext): number {
  return Number(c.req.param("n"));
}

/** Middleware: 400 for a version number that no version can have (1, 2, 3, …). */
function versionNumber(): MiddlewareHandler {
  return async function versionNumber(c, next) {
    const n = c.req.param("n") ?? "";
    if (!/^[1-9][0-9]{0,8}$/.test(n)) return jsonError(c, 400, `invalid version "${n.slice(0, 20)}": versions are numbered 1, 2, 3, …`);
    await next();
  };
}

/**
 * A `POST /live/<room>/versions` body: empty, or JSON `{name?, author?}`.
 * @example parseVersionRequest('{"name":"Before the refactor"}') // { ok: true, value: { name: "Before the refactor", author: null } }
 */
export function parseVersionRequest(body: string): Parsed<VersionRequest> {
  if (body.trim() === "") return done({ name: null, author: null });
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch {
    return refuse(400, "the body must be JSON: {name?, author?}");
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) return refuse(400, "the body must be a JSON object: {name?, author?}");
  const { name, author, ...rest } = input as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) return refuse(400, `unknown field "${unknown[0]!.slice(0, 40)}": the body is {name?, author?}`);
  if (name !== undefined && !isLabel(name, MAX_VERSION_NAME_CHARS)) return refuse(400, `name must be 1-${MAX_VERSION_NAME_CHARS} characters, without control characters`);
  if (author !== undefined && !isLabel(author, MAX_AUTHOR_CHARS)) return refuse(400, `author must be 1-${MAX_AUTHOR_CHARS} characters, without control characters`);
  return done({ name: typeof name === "string" ? name.trim() : null, author: typeof author === "string" ? author.trim() : null });
}

function isLabel(value: unknown, max: number): value is string {
  // eslint-disable-next-line no-control-regex
  return typeof value === "string" && value.trim().length > 0 && value.length <= max && !/[\u0000-\u001f\u007f]/.test(value);
}
