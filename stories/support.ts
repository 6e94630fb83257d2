/**
 * What the stories share: building an element from a story's args (the controls from custom-elements.json), the sample
 * project, and loaders that prepare a state on the real spike server through its public HTTP API (a room with files, a
 * question to the chat). Nothing of spike is imitated here: the elements come from the server's `/spike.js`.
 */

declare const __SPIKE_SERVER__: string;

/** The spike server the stories talk to: the page's own origin in the static build, $SPIKE_SERVER under `npm run storybook`. */
export function spikeServer(): string {
  return __SPIKE_SERVER__ || location.origin;
}

/**
 * An origin where nothing listens (loopback's last port, outside Linux's ephemeral range; Chromium refuses the well-known
 * "unsafe" ports such as 9 outright): an element pointed at it shows connecting, then offline.
 * @example element("spike-editor", { room: UNREACHABLE_ROOM, server: UNREACHABLE_SERVER })
 */
export const UNREACHABLE_SERVER = "http://127.0.0.1:65535";

/** The room the offline stories ask the unreachable server for. */
export const UNREACHABLE_ROOM = "storybook-unreachable";

/** The sample app every story starts from. */
export const APP = `import { useState } from "react";

export default function App() {
  const [count, setCount] = useState(0);
  return <button onClick={() => setCount(count + 1)}>Clicked {count} times</button>;
}
`;

/** Preview states reached through the code itself. */
export const BUILD_ERROR_APP = `export default function App( {\n  return <p>unclosed</p>;\n}\n`;
export const RUNTIME_ERROR_APP = `export default function App() {\n  throw new Error("Something broke while rendering");\n}\n`;
export const LOOP_APP = `export default function App() {\n  let n = 0;\n  while (true) { n++; }\n  return <p>{n}</p>;\n}\n`;
export const LOGGING_APP = `console.log("Rendering the app");\nconsole.warn("A warning from the app");\nconsole.debug("Some detail for debugging");\n\nexport default function App() {\n  console.info("App rendered");\n  return <p>Open the console below</p>;\n}\n`;

type Value = string | number | boolean | null | undefined;

/**
 * Create `<tag>` with the story's args as attributes (`true` adds a boolean attribute; `false`, null and "" leave it
 * out; objects and functions, such as `getToken`, become properties) and `children` inside.
 * @example element("spike-editor", { room: "demo", readonly: true }, inlineFile("index.tsx", APP))
 */
export function element(tag: string, args: Record<string, unknown>, ...children: Node[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(args)) {
    if (typeof value === "function" || (typeof value === "object" && value !== null)) {
      (node as unknown as Record<string, unknown>)[name] = value;
    } else if (value === true) {
      node.setAttribute(name, "");
    } else if (value !== false && value !== null && value !== undefined && value !== "") {
      node.setAttribute(name, String(value as Value));
    }
  }
  node.append(...children);
  return node;
}

/**
 * An inline file, as a local project (no room) is seeded: `<script type="text/plain" data-file="…">`.
 * @example element("spike-preview", {}, inlineFile("index.tsx", APP))
 */
export function inlineFile(name: string, text: string): HTMLScriptElement {
  const script = document.createElement("script");
  script.type = "text/plain";
  script.dataset.file = name;
  script.textContent = text;
  return script;
}

/**
 * A layout box: `width` in CSS pixels (a phone's 375 for the mobile stories), children stacked with a gap.
 * @example frame({ width: 375 }, element("spike-editor", args))
 */
export function frame({ width, dark = false }: { width?: number; dark?: boolean }, ...children: Node[]): HTMLElement {
  const box = document.createElement("div");
  box.style.cssText = `display: grid; gap: 12px; ${width ? `width: ${width}px;` : ""}${dark ? "background: #1e1e1e; padding: 12px;" : ""}`;
  box.append(...children);
  return box;
}

/**
 * A short explanation under a story (what the state needs from the server, when it does).
 * @example note("Needs CLERK_JWT_KEY on the server")
 */
export function note(text: string): HTMLElement {
  const p = document.createElement("p");
  p.className = "story-note";
  p.style.cssText = "margin: 0; font-size: 13px; color: #555; max-width: 60ch;";
  p.textContent = text;
  return p;
}

/**
 * A room id no other story or visit uses (`<prefix>-<random>`), so each visit starts from a known state.
 * @example freshRoom("storybook-chat") // "storybook-chat-k3j9x2a1"
 */
export function freshRoom(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

/** A failed call to the spike server, with the server's own `{error}` message. */
export class ServerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ServerError";
  }
}

async function check(response: Response, what: string): Promise<Response> {
  if (response.ok) return response;
  let detail = response.statusText;
  try {
    detail = ((await response.json()) as { error?: string }).error ?? detail;
  } catch {
    // not JSON: keep the status text
  }
  throw new ServerError(response.status, `${what}: ${response.status} ${detail}`);
}

/**
 * Write `files` into `room` on the spike server (`PUT /live/<room>/files/<name>`, the headless API).
 * @example await putFiles("storybook-demo", { "index.tsx": APP })
 */
export async function putFiles(room: string, files: Record<string, string>, token?: string): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    const headers: Record<string, string> = { "content-type": "text/plain; charset=utf-8" };
    if (token) headers.authorization = `Bearer ${token}`;
    await check(await fetch(`${spikeServer()}/live/${room}/files/${name}`, { method: "PUT", body: text, headers }), `writing ${name} to room ${room}`);
  }
}

/**
 * Ask the room's chat a question (`POST /live/<room>/chat`, what `<spike-chat>` sends): the reply streams into the room.
 * @example await askChat("storybook-chat-x", "Make the button blue", "gpt-4o-mini")
 */
export async function askChat(room: string, text: string, model: string): Promise<void> {
  await check(
    await fetch(`${spikeServer()}/live/${room}/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text, model, author: "Storybook" }),
    }),
    `asking the chat of room ${room}`,
  );
}

/** What a story's loader hands its render function: the room it prepared. */
export interface Loaded {
  room: string;
}

/**
 * A loader that gives the story a fresh room holding `files` on the real server.
 * @example loaders: [roomWith("storybook-editor", { "index.tsx": APP })]
 */
export function roomWith(prefix: string, files: Record<string, string>): () => Promise<Loaded> {
  return async () => {
    const room = freshRoom(prefix);
    await putFiles(room, files);
    return { room };
  };
}

/**
 * A loader that gives the story a fresh room with the sample app and a question to `model` in its chat, so the story
 * shows the reply as the server's provider answers it: streaming, done or failed.
 * @example loaders: [roomWithQuestion("storybook-chat", "gpt-4o-mini")]
 */
export function roomWithQuestion(prefix: string, model: string): () => Promise<Loaded> {
  return async () => {
    const room = freshRoom(prefix);
    await putFiles(room, { "index.tsx": APP });
    await askChat(room, "Make the button count down instead of up.", model);
    return { room };
  };
}

/**
 * The private room the sign-in stories open: on a server with sign-in configured (CLERK_JWT_KEY), its owner makes it
 * private once (README, "Rooms and permissions"); anyone else then sees "Sign in" or "no access".
 */
export const PRIVATE_ROOM = "storybook-private";

/** The room the read-only-room stories open: made `readonly` by its owner on a server with sign-in, as PRIVATE_ROOM is. */
export const READONLY_ROOM = "storybook-readonly";
