/**
 * <spike-chat> in each of its states: lite, no room, connected, streaming reply, provider error, read-only, offline,
 * sign-in required, no access, dark and mobile. The replies come from the server's real AI path: whatever provider it is
 * configured with (OPENAI_BASE_URL / ANTHROPIC_BASE_URL may name a loopback fake), or the error it gives without one.
 */
import type { Meta, StoryObj } from "@storybook/web-components-vite";
import { APP, PRIVATE_ROOM, READONLY_ROOM, UNREACHABLE_ROOM, UNREACHABLE_SERVER, element, frame, note, roomWith, roomWithQuestion, type Loaded } from "./support.js";

type Args = Record<string, unknown>;

/** The chat from the story's args. `token` becomes its `getToken`. */
function chat({ token, ...args }: Args, room?: string): HTMLElement {
  const attributes: Args = { ...args, ...(room ? { room } : {}) };
  if (token) attributes.getToken = () => Promise.resolve(String(token));
  const node = element("spike-chat", attributes);
  node.style.setProperty("--spike-chat-height", "420px");
  return node;
}

const meta: Meta<Args> = {
  title: "Elements/spike-chat",
  component: "spike-chat",
  args: { loading: "eager", author: "Storybook" },
  render: (args, { loaded }) => chat(args, (loaded as Partial<Loaded>).room),
};
export default meta;
type Story = StoryObj<Args>;

/** Before it loads: an "Open chat" button. */
export const Lite: Story = { args: { loading: "click" } };

/** No room: the chat says it needs one (the conversation lives in the room). */
export const Local: Story = {};

/** Connected to a room: ask, and the reply streams in for everyone in the room. */
export const Connected: Story = { loaders: [roomWith("storybook-chat", { "index.tsx": APP })] };

/**
 * A reply streaming in (OpenAI model gpt-4o-mini): the story asks a question as it opens. Without an OpenAI key on the
 * server the reply fails instead, as in "Provider error".
 */
export const StreamingReply: Story = {
  args: { model: "gpt-4o-mini" },
  loaders: [roomWithQuestion("storybook-chat-stream", "gpt-4o-mini")],
  render: (args, { loaded }) =>
    frame({}, chat(args, (loaded as Loaded).room), note("Streams while the server's OpenAI provider answers (OPENAI_API_KEY, OPENAI_BASE_URL).")),
};

/**
 * The provider fails (Anthropic model claude-haiku-4-5): the reply ends as failed, with the reason. On a server without
 * an Anthropic key the reason is that; with one, it is whatever the provider answered (an overload, a bad key).
 */
export const ProviderError: Story = {
  args: { model: "claude-haiku-4-5" },
  loaders: [roomWithQuestion("storybook-chat-error", "claude-haiku-4-5")],
};

/** A room its owner made read-only: the conversation shows, asking is disabled with the reason. Needs sign-in on the server. */
export const ReadOnlyRoom: Story = {
  args: { room: READONLY_ROOM },
  render: (args) =>
    frame({}, chat(args), note(`Room ${READONLY_ROOM} is read-only on a server with sign-in (CLERK_JWT_KEY) once its owner made it so.`)),
};

/** The server cannot be reached: offline, the input waits for the connection. */
export const Offline: Story = { args: { room: UNREACHABLE_ROOM, server: UNREACHABLE_SERVER } };

/** A private room and nobody signed in. Needs sign-in configured on the server. */
export const SignInRequired: Story = {
  args: { room: PRIVATE_ROOM },
  render: (args) =>
    frame({}, chat(args), note(`Room ${PRIVATE_ROOM} is private on a server with sign-in (CLERK_JWT_KEY) once its owner made it so.`)),
};

/** A signed-in user who is not a member of the private room. */
export const NoAccess: Story = {
  args: { room: PRIVATE_ROOM, token: "" },
  render: (args) => frame({}, chat(args), note("Paste a session token of a user who is not a member of the room into the token control.")),
};

/** theme="dark". */
export const Dark: Story = {
  args: { theme: "dark" },
  loaders: [roomWith("storybook-chat-dark", { "index.tsx": APP })],
  render: (args, { loaded }) => frame({ dark: true }, chat(args, (loaded as Loaded).room)),
};

/** On a phone-sized screen (375 px wide). */
export const Mobile: Story = {
  globals: { viewport: { value: "mobile1", isRotated: false } },
  loaders: [roomWith("storybook-chat-mobile", { "index.tsx": APP })],
  render: (args, { loaded }) => frame({ width: 375 }, chat(args, (loaded as Loaded).room)),
};
