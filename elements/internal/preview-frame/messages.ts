/**
 * The postMessage protocol between <spike-preview> (the host page) and its frame (runtime.ts). Both sides check the other's
 * origin and window before reading a message; these guards then check its shape, so a stray message is ignored.
 */

/** One project module as the frame needs it: the C1 BuiltModule fields the frame uses. */
export interface FrameModule {
  code: string;
  /** Project files this module imports, as `"/@project/<file>"` specifiers name them. */
  projectImports: string[];
  /** Bare specifiers this module imports (`react`, `clsx`, …). */
  packageImports: string[];
}

/** Where an error points in the project. */
export interface SourceLocation {
  file: string;
  /** 1-based. */
  line: number;
  /** 0-based. */
  column: number;
}

/** An error the frame reports: what happened, and the project file and line when known. */
export interface FrameError {
  message: string;
  location?: SourceLocation | undefined;
  /** The stack with blob: URLs replaced by file names. */
  stack?: string | undefined;
}

/** Console levels the frame captures. */
export type ConsoleLevel = "log" | "info" | "warn" | "error" | "debug";

/** What kind of value a {@link ConsoleValue} previews: decides how it is drawn, and whether it can have entries. */
export type ConsoleValueType =
  | "string" | "number" | "bigint" | "boolean" | "undefined" | "null" | "symbol" | "function"
  | "error" | "node" | "array" | "object" | "map" | "set" | "circular";

/**
 * One console argument as a bounded preview tree that survives structured clone: the frame builds it
 * (console-capture.ts) so the console can show objects expandable without asking the frame again.
 * @example { type: "object", text: "{a: 1}", entries: [{ key: "a", value: { type: "number", text: "1" } }] }
 */
export interface ConsoleValue {
  type: ConsoleValueType;
  /** One line: the value itself for a primitive, a summary (`{a: 1, b: {…}}`, `Array(3) [1, 2, 3]`) for an object. */
  text: string;
  /** An object's own properties, an array's items, a map's or set's entries: present when it has any within the limits. */
  entries?: ConsoleEntry[];
  /** How many entries the limits left out. */
  more?: number;
  /** For an error: where it was thrown in the project. */
  location?: SourceLocation;
}

/** One property of an object {@link ConsoleValue} (`key` is the index of an array item, `key => ` of a map entry). */
export interface ConsoleEntry {
  key: string;
  value: ConsoleValue;
}

/** The bounds of a console value: nodes in one tree, entries under one node, depth, characters of one text. */
export const CONSOLE_VALUE_LIMITS = { nodes: 500, entries: 100, depth: 5, text: 10_000 };

const VALUE_TYPES = new Set<string>([
  "string", "number", "bigint", "boolean", "undefined", "null", "symbol", "function",
  "error", "node", "array", "object", "map", "set", "circular",
]);

/**
 * True for a list of console values within {@link CONSOLE_VALUE_LIMITS} (the host's check: user code in the frame can post
 * anything, so a tree too big or too deep is refused rather than drawn).
 */
export function isConsoleValues(data: unknown): data is ConsoleValue[] {
  if (!Array.isArray(data) || data.length > CONSOLE_VALUE_LIMITS.entries) return false;
  // Twice the frame's own budget per argument: an error's stack entry may go a node over it.
  let budget = 2 * CONSOLE_VALUE_LIMITS.nodes * Math.max(1, data.length);
  const check = (value: unknown, depth: number): boolean => {
    if (--budget < 0 || depth > CONSOLE_VALUE_LIMITS.depth + 1 || typeof value !== "object" || value === null) return false;
    const v = value as Record<string, unknown>;
    if (!VALUE_TYPES.has(v.type as string) || typeof v.text !== "string" || v.text.length > CONSOLE_VALUE_LIMITS.text + 1) return false;
    if (v.more !== undefined && typeof v.more !== "number") return false;
    if (v.location !== undefined && !isSourceLocation(v.location)) return false;
    if (v.entries === undefined) return true;
    if (!Array.isArray(v.entries) || v.entries.length > CONSOLE_VALUE_LIMITS.entries + 1) return false;
    return v.entries.every(
      (entry: unknown) =>
        typeof entry === "object" && entry !== null && typeof (entry as ConsoleEntry).key === "string" && check((entry as ConsoleEntry).value, depth + 1),
    );
  };
  return data.every((value) => check(value, 0));
}

/** True for a {@link SourceLocation}: a file name and two non-negative numbers. */
export function isSourceLocation(data: unknown): data is SourceLocation {
  const l = data as SourceLocation;
  return (
    typeof data === "object" && data !== null && typeof l.file === "string" && l.file.length > 0 && l.file.length < 1000 &&
    Number.isInteger(l.line) && l.line > 0 && Number.isInteger(l.column) && l.column >= 0
  );
}

/**
 * The offline npm set as the host page passes it to a frame that was told to expect it (`packages=host` in its URL): a
 * frame with an opaque origin gets no HTTP cache in Chromium, so it would download React again on every visit, while
 * the host page keeps it. Paths are importmap.json's (`/npm/react@19.3.1/index.js`), read under the frame's npm base.
 */
export interface FramePackages {
  /** importmap.json's `imports`: specifier -> path. */
  imports: Record<string, string>;
  /** The source of the modules the host fetched ({@link REACT_MODULES} and what they import), by path. */
  modules: Record<string, string>;
}

/** What a component preview always imports (the JSX runtime, React, and react-dom/client for the runtime's root). */
export const REACT_MODULES = ["react", "react/jsx-runtime", "react-dom", "react-dom/client"];

/** Host -> frame: the project as it stands. `modules` holds only modules whose code the frame has not seen yet. */
export interface UpdateMessage {
  type: "spike:update";
  /** Counts up per update, so replies name the update they answer. */
  seq: number;
  entry: string;
  /** A version per file (C1 moduleVersions) for every current module; files absent here are gone. */
  versions: Record<string, string>;
  modules: Record<string, FrameModule>;
  /** Only in the first update after `spike:ready`, to a frame whose URL says `packages=host`; absent if the host could not fetch them. */
  packages?: FramePackages;
}

/** Host -> frame messages. */
export type HostMessage = UpdateMessage;

/** Frame -> host messages. */
export type FrameMessage =
  | { type: "spike:ready" }
  | { type: "spike:rendered"; seq: number; mode: "react" | "module" }
  | { type: "spike:error"; seq: number; error: FrameError }
  | ConsoleMessage;

/**
 * Frame -> host: one console call. `args` as text, `values` as expandable previews (absent in the host's own notes, such
 * as dropped-message counts), `location` where in the project the call was made.
 */
export interface ConsoleMessage {
  type: "spike:console";
  level: ConsoleLevel;
  args: string[];
  values?: ConsoleValue[];
  location?: SourceLocation;
}

const FRAME_TYPES = new Set(["spike:ready", "spike:rendered", "spike:error", "spike:console"]);
const CONSOLE_LEVELS = new Set<string>(["log", "info", "warn", "error", "debug"]);

/** True for an object that looks like a message from the frame. */
export function isFrameMessage(data: unknown): data is FrameMessage {
  if (typeof data !== "object" || data === null) return false;
  const message = data as Record<string, unknown>;
  if (!FRAME_TYPES.has(message.type as string)) return false;
  switch (message.type) {
    case "spike:rendered":
      return typeof message.seq === "number" && (message.mode === "react" || message.mode === "module");
    case "spike:error": {
      const error = message.error as Record<string, unknown> | null | undefined;
      return typeof message.seq === "number" && typeof error === "object" && error !== null && typeof error.message === "string";
    }
    case "spike:console":
      return (
        CONSOLE_LEVELS.has(message.level as string) &&
        Array.isArray(message.args) &&
        message.args.every((a) => typeof a === "string") &&
        (message.values === undefined || (isConsoleValues(message.values) && message.values.length === message.args.length)) &&
        (message.location === undefined || isSourceLocation(message.location))
      );
    default:
      return true;
  }
}

/** True for a {@link FramePackages}: two objects of strings. */
export function isFramePackages(data: unknown): data is FramePackages {
  const isStrings = (value: unknown) =>
    typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string");
  return typeof data === "object" && data !== null && isStrings((data as FramePackages).imports) && isStrings((data as FramePackages).modules);
}

/** True for an object that looks like a message from the host. */
export function isHostMessage(data: unknown): data is HostMessage {
  if (typeof data !== "object" || data === null) return false;
  const message = data as Partial<UpdateMessage>;
  return (
    message.type === "spike:update" &&
    typeof message.seq === "number" &&
    typeof message.entry === "string" &&
    typeof message.versions === "object" &&
    message.versions !== null &&
    typeof message.modules === "object" &&
    message.modules !== null
  );
}

/** What the host passes in the frame URL's fragment (see {@link frameUrl}). */
export interface FrameParams {
  parent: string;
  server: string;
  /** The host sends the offline set's import map and React in its first update (FramePackages): fetch neither before it. */
  hostPackages: boolean;
}

/**
 * The parameters the host passes in the frame URL's fragment (never sent to a server): the host page's origin, the only
 * one the frame talks to, and where `/npm/` modules come from: the spike server's origin, or for a local preview the
 * folder the bundle was loaded from (`https://cdn.example/spike/dist/cdn`, no trailing slash). `frameBase` is the origin
 * or folder serving `preview/frame.html`. `hostPackages` adds `packages=host`.
 * @example frameUrl("http://127.0.0.1:8787", { parent: "http://localhost:8787", server: "http://localhost:8787" })
 */
export function frameUrl(frameBase: string, params: { parent: string; server: string; hostPackages?: boolean }): string {
  const hash = new URLSearchParams({ parent: params.parent, server: params.server });
  if (params.hostPackages) hash.set("packages", "host");
  return `${new URL("preview/frame.html", frameBase.endsWith("/") ? frameBase : `${frameBase}/`).href}#${hash}`;
}

/** Read the fragment {@link frameUrl} wrote; null when it is missing or malformed (`server` must be an http(s) URL). */
export function readFrameParams(hash: string): FrameParams | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  try {
    const parent = new URL(params.get("parent") ?? "").origin;
    const url = new URL(params.get("server") ?? "");
    if (parent === "null" || !/^https?:$/.test(url.protocol)) return null;
    return { parent, server: `${url.origin}${url.pathname}`.replace(/\/+$/, ""), hostPackages: params.get("packages") === "host" };
  } catch {
    return null;
  }
}
