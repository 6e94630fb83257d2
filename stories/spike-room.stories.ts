/**
 * <spike-room> hands one room (and server, theme, sign-in) to every element inside it: connected, local, offline and
 * sign-in required, each shown through an editor and a preview inside it.
 */
import type { Meta, StoryObj } from "@storybook/web-components-vite";
import { APP, PRIVATE_ROOM, UNREACHABLE_ROOM, UNREACHABLE_SERVER, element, frame, inlineFile, note, roomWith, type Loaded } from "./support.js";

type Args = Record<string, unknown>;

/** The room from the story's args around an editor and a preview; with no room, a local project of the sample app. */
function roomOf(args: Args, room?: string): HTMLElement {
  const attributes: Args = { ...args, ...(room ? { room } : {}) };
  if (!attributes.room) attributes.project ??= "storybook-room";
  const preview = element("spike-preview", { loading: "eager" });
  preview.style.setProperty("--spike-preview-height", "120px");
  return element(
    "spike-room",
    attributes,
    ...(attributes.room ? [] : [inlineFile("index.tsx", APP)]),
    element("spike-editor", { loading: "eager" }),
    preview,
  );
}

const meta: Meta<Args> = {
  title: "Elements/spike-room",
  component: "spike-room",
  render: (args, { loaded }) => roomOf(args, (loaded as Partial<Loaded>).room),
};
export default meta;
type Story = StoryObj<Args>;

/** One room for the elements inside: they share one connection. */
export const Connected: Story = { loaders: [roomWith("storybook-room", { "index.tsx": APP })] };

/** No room: the elements inside share a local project (`project`) seeded from the inline file. */
export const Local: Story = {};

/** The server cannot be reached: every element inside says so. */
export const Offline: Story = { args: { room: UNREACHABLE_ROOM, server: UNREACHABLE_SERVER } };

/** A private room and nobody signed in. Needs sign-in configured on the server. */
export const SignInRequired: Story = {
  args: { room: PRIVATE_ROOM },
  render: (args) => frame({}, roomOf(args), note(`Room ${PRIVATE_ROOM} is private on a server with sign-in (CLERK_JWT_KEY) once its owner made it so.`)),
};

/** theme="dark" for everything inside. */
export const Dark: Story = { args: { theme: "dark" }, render: (args) => frame({ dark: true }, roomOf(args)) };
