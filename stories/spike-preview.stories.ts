/**
 * <spike-preview> in each of its states: lite, loading, rendered (local and connected), build error, runtime error, loop
 * guard, offline, sign-in required, no access, dark and mobile. The frame runs on the server's preview origin, as in any embed.
 */
import type { Meta, StoryObj } from "@storybook/web-components-vite";
import {
  APP,
  BUILD_ERROR_APP,
  LOOP_APP,
  PRIVATE_ROOM,
  RUNTIME_ERROR_APP,
  UNREACHABLE_ROOM,
  UNREACHABLE_SERVER,
  element,
  frame,
  inlineFile,
  note,
  roomWith,
  type Loaded,
} from "./support.js";

type Args = Record<string, unknown> & { code?: string };

/** The preview from the story's args; without a room it runs `code` (the sample app by default) locally. */
function preview({ token, code = APP, ...args }: Args, room?: string): HTMLElement {
  const attributes: Args = { ...args, ...(room ? { room } : {}) };
  if (token) attributes.getToken = () => Promise.resolve(String(token));
  return element("spike-preview", attributes, ...(attributes.room ? [] : [inlineFile("index.tsx", String(code))]));
}

const meta: Meta<Args> = {
  title: "Elements/spike-preview",
  component: "spike-preview",
  args: { loading: "eager" },
  argTypes: { code: { control: "text", description: "The app a local preview runs (index.tsx)." } },
  render: (args, { loaded }) => preview(args, (loaded as Partial<Loaded>).room),
};
export default meta;
type Story = StoryObj<Args>;

/** Before it loads: the code and a "Run" button. */
export const Lite: Story = { args: { loading: "click" } };

/** Starting: the frame loads and the first build runs, behind a status that says so. */
export const Loading: Story = {
  render: (args) => frame({}, preview(args), note("What the preview shows while its frame starts and the first build runs (a moment).")),
};

/** A local project, rendered: no server needed beyond the frame's origin. */
export const Local: Story = {};

/** Connected to a room: re-renders as anyone in the room types. */
export const Connected: Story = { loaders: [roomWith("storybook-preview", { "index.tsx": APP })] };

/** A syntax error: an overlay with the message at file:line; the last good render stays behind it. */
export const BuildError: Story = { args: { code: BUILD_ERROR_APP } };

/** The app throws while rendering: the error overlay with the stack's file:line. */
export const RuntimeError: Story = { args: { code: RUNTIME_ERROR_APP } };

/** `while (true)`: the loop guard stops it after a second with "Infinite loop? index.tsx:3"; the page stays responsive. */
export const LoopGuard: Story = { args: { code: LOOP_APP } };

/** The server cannot be reached: "Cannot reach the server", retrying. */
export const Offline: Story = { args: { room: UNREACHABLE_ROOM, server: UNREACHABLE_SERVER } };

/** A private room and nobody signed in. Needs sign-in configured on the server. */
export const SignInRequired: Story = {
  args: { room: PRIVATE_ROOM },
  render: (args) =>
    frame({}, preview(args), note(`Room ${PRIVATE_ROOM} is private on a server with sign-in (CLERK_JWT_KEY) once its owner made it so.`)),
};

/** A signed-in user who is not a member of the private room. */
export const NoAccess: Story = {
  args: { room: PRIVATE_ROOM, token: "" },
  render: (args) => frame({}, preview(args), note("Paste a session token of a user who is not a member of the room into the token control.")),
};

/** theme="dark". */
export const Dark: Story = { args: { theme: "dark" }, render: (args) => frame({ dark: true }, preview(args)) };

/** On a phone-sized screen (375 px wide). */
export const Mobile: Story = {
  globals: { viewport: { value: "mobile1", isRotated: false } },
  render: (args) => frame({ width: 375 }, preview(args)),
};
