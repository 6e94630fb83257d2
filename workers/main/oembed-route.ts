/**
 * `GET /oembed?url=…[&maxwidth=&maxheight=&format=json]`: the oEmbed description (https://oembed.com, type `rich`) of a
 * room page on this server, so a CMS or chat app that is given `https://<host>/live/<room>` can show the room as an
 * iframe of its chromeless embed (room-pages.ts). The embed options of an `/embed` URL are kept. Errors follow the spec:
 * 400 for a malformed request (no url, not a URL, an invalid room id or embed option, a bad size), 404 for a URL this
 * server has nothing for (another host, a path that is not a room page), 501 for a format other than JSON.
 */
import { Hono } from "hono";
import { isValidRoomId } from "../../core/protocol.js";
import type { Env } from "../platform/env.js";
import { jsonError } from "./errors.js";
import { DEFAULT_EMBED_SIZE, embedIframe, embedQuery, parseEmbedOptions, roomTitle } from "./room-pages.js";

/** What `GET /oembed` answers for a room (oEmbed 1.0, type `rich`). */
export interface RoomOEmbed {
  version: "1.0";
  type: "rich";
  title: string;
  provider_name: "spike";
  provider_url: string;
  /** An iframe of `/live/<room>/embed` with `width` and `height`. */
  html: string;
  width: number;
  height: number;
  cache_age: number;
}

/** `/live/<room>` or `/live/<room>/embed`, with or without a trailing slash; the room is checked afterwards. */
const ROOM_PAGE_PATH = /^\/live\/([^/]*)(?:\/embed)?\/?$/;

/**
 * The `/oembed` sub-app.
 * @example app.route("/oembed", oembedRoute()); // GET /oembed?url=https%3A%2F%2Fspike.example%2Flive%2Fdemo
 */
export function oembedRoute(): Hono<{ Bindings: Env }> {
  const oembed = new Hono<{ Bindings: Env }>();
  oembed.get("/", (c) => {
    const query = new URL(c.req.url).searchParams;
    const format = query.get("format");
    if (format !== null && format !== "json") return jsonError(c, 501, `format "${clip(format)}" is not supported: only json`);
    const described = describeRoom(new URL(c.req.url).origin, query);
    if ("status" in described) return jsonError(c, described.status, described.error);
    return c.json(described, 200, {
      "access-control-allow-origin": "*",
      "cache-control": "public, max-age=3600",
    });
  });
  oembed.all("/", (c) => jsonError(c, 405, `method ${c.req.method} not allowed on /oembed`));
  return oembed;
}

/** Why a request gets no description, as the status and message of the error answer. */
interface Refusal {
  status: 400 | 404;
  error: string;
}

/**
 * The oEmbed answer for the room page `url` names, on the server at `origin`, or why there is none.
 * @example describeRoom("https://spike.example", new URLSearchParams("url=https://spike.example/live/demo&maxwidth=400"))
 */
export function describeRoom(origin: string, query: URLSearchParams): RoomOEmbed | Refusal {
  const given = query.get("url");
  if (!given) return { status: 400, error: "url is required: the address of a room page, e.g. /oembed?url=" + encodeURIComponent(`${origin}/live/demo`) };
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    return { status: 400, error: `url is not an absolute URL (got "${clip(given)}")` };
  }
  if (url.origin !== origin) return { status: 404, error: `no room pages on ${clip(url.origin)}: this server describes ${origin}/live/<room> only` };
  const path = ROOM_PAGE_PATH.exec(url.pathname);
  if (!path) return { status: 404, error: `${clip(url.pathname)} is not a room page: expected /live/<room> or /live/<room>/embed` };
  // Left encoded: a room id has no character that needs escaping, so anything escaped is not one.
  const room = path[1]!;
  if (!isValidRoomId(room)) return { status: 400, error: `invalid room "${clip(room)}": room ids are 1-64 characters of A-Z, a-z, 0-9, _ and -` };
  const options = parseEmbedOptions(url.searchParams);
  if (typeof options === "string") return { status: 400, error: `url: ${options}` };
  const width = sizeOf(query, "maxwidth", DEFAULT_EMBED_SIZE.width);
  if (typeof width === "string") return { status: 400, error: width };
  const height = sizeOf(query, "maxheight", DEFAULT_EMBED_SIZE.height);
  if (typeof height === "string") return { status: 400, error: height };
  const title = roomTitle(room);
  return {
    version: "1.0",
    type: "rich",
    title,
    provider_name: "spike",
    provider_url: `${origin}/`,
    html: embedIframe(`${origin}/live/${room}/embed${embedQuery(options)}`, title, width, height),
    width,
    height,
    cache_age: 3600,
  };
}

/** `maxwidth`/`maxheight`: the default, or the maximum when it is smaller; a value that is not a positive integer is an error. */
function sizeOf(query: URLSearchParams, name: string, preferred: number): number | string {
  const value = query.get(name);
  if (value === null) return preferred;
  if (!/^[1-9][0-9]{0,5}$/.test(value)) return `${name} must be a positive whole number of pixels (got "${clip(value)}")`;
  return Math.min(preferred, Number(value));
}

function clip(value: string): string {
  return value.length > 80 ? `${value.slice(0, 80)}…` : value;
}

