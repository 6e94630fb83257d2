/**
 * <spike-editor> in each of its states: lite, loading, local, connected, read-only (attribute and room), offline, sign-in required, no access,
 * dark and mobile. Rooms are real rooms on the spike server (the loaders write their files through the HTTP API).
 */
import type { Meta, StoryObj } from "@storybook/web-components-vite";
import { APP, PRIVATE_ROOM, READONLY_ROOM, UNREACHABLE_ROOM, UNREACHABLE_SERVER, element, frame, inlineFile, note, roomWith, type Loaded } from "./support.js";

type Args = Record<string, unknown>;

/** The editor from the story's args; without a room it edits the sample app locally. `token` becomes its `getToken`. */
function editor({ token, ...args }: Args, room?: string): HTMLElement {
  const attributes: Args = { ...args, ...(room ? { room } : {}) };
  if (token) attributes.getToken = () => Promise.resolve(String(token));
  return element("spike-editor", attributes, ...(attributes.room ? [] : [inlineFile("index.tsx", APP)]));
}

const meta: Meta<Args> = {
  title: "Elements/spike-editor",
  component: "spike-editor",
  args: { loading: "eager" },
  render: (args, { loaded }) => editor(args, (loaded as Partial<Loaded>).room),
};
export default meta;
type Story = StoryObj<Args>;

/** Before it loads: highlighted code and a "Click to edit" button, no Monaco yet. */
export const Lite: Story = { args: { loading: "click" } };

/** Loading Monaco: a labelled "Loading editor" view (aria-busy) shows until the editor is ready. */
export const Loading: Story = {
  render: (args) => frame({}, editor(args), note("What the editor shows while Monaco loads (a moment on a fast network).")),
};

/** A local, single-user project seeded from inline content: no server needed. */
export const Local: Story = {};

/** Connected to a room on the spike server: edits sync to everyone in it. */
export const Connected: Story = { loaders: [roomWith("storybook-editor", { "index.tsx": APP })] };

/** The `readonly` attribute: the file shows, typing is refused with "This room is read-only for you". */
export const ReadOnly: Story = { args: { readonly: true }, loaders: [roomWith("storybook-editor-ro", { "index.tsx": APP })] };

/** A room its owner made read-only: a "Read-only" badge, typing refused. Needs sign-in configured on the server. */
export const ReadOnlyRoom: Story = {
  args: { room: READONLY_ROOM },
  render: (args) =>
    frame({}, editor(args), note(`Room ${READONLY_ROOM} is read-only on a server with sign-in (CLERK_JWT_KEY) once its owner made it so.`)),
};

/** The server cannot be reached: connecting, then offline (it keeps retrying with backoff). */
export const Offline: Story = { args: { room: UNREACHABLE_ROOM, server: UNREACHABLE_SERVER } };

/** A private room and nobody signed in: "Sign in to open this private room". Needs sign-in configured on the server. */
export const SignInRequired: Story = {
  args: { room: PRIVATE_ROOM },
  render: (args) =>
    frame({}, editor(args), note(`Room ${PRIVATE_ROOM} is private on a server with sign-in (CLERK_JWT_KEY) once its owner made it so.`)),
};

/** A private room and a signed-in user who is not a member: "You do not have access to this room". */
export const NoAccess: Story = {
  args: { room: PRIVATE_ROOM, token: "" },
  render: (args) => frame({}, editor(args), note("Paste a session token of a user who is not a member of the room into the token control.")),
};

/** theme="dark", whatever the system's colour scheme. */
export const Dark: Story = {
  args: { theme: "dark" },
  loaders: [roomWith("storybook-editor-dark", { "index.tsx": APP })],
  render: (args, { loaded }) => frame({ dark: true }, editor(args, (loaded as Loaded).room)),
};

/** On a phone-sized screen (375 px wide). */
export const Mobile: Story = {
  globals: { viewport: { value: "mobile1", isRotated: false } },
  render: (args) => frame({ width: 375 }, editor(args)),
};
