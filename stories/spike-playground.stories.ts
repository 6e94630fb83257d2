/**
 * <spike-playground> (editor, file tabs, preview and console in one) in its layouts and states: lite, local, connected,
 * with the chat, read-only, build error, offline, dark and mobile.
 */
import type { Meta, StoryObj } from "@storybook/web-components-vite";
import { APP, BUILD_ERROR_APP, UNREACHABLE_ROOM, UNREACHABLE_SERVER, element, frame, inlineFile, roomWith, type Loaded } from "./support.js";

type Args = Record<string, unknown> & { code?: string };

/** The playground from the story's args; without a room it runs `code` (the sample app by default) locally. */
function playground({ code = APP, ...args }: Args, room?: string): HTMLElement {
  const attributes: Args = { ...args, ...(room ? { room } : {}) };
  const node = element("spike-playground", attributes, ...(attributes.room ? [] : [inlineFile("index.tsx", String(code))]));
  node.style.setProperty("--spike-playground-height", "420px");
  return node;
}

const meta: Meta<Args> = {
  title: "Elements/spike-playground",
  component: "spike-playground",
  args: { loading: "eager", layout: "split" },
  argTypes: {
    layout: { control: "inline-radio", options: ["split", "tabs", "stacked"] },
    code: { control: "text", description: "The app a local playground runs (index.tsx)." },
  },
  render: (args, { loaded }) => playground(args, (loaded as Partial<Loaded>).room),
};
export default meta;
type Story = StoryObj<Args>;

/** Before it loads: the code and a "Click to edit" button. */
export const Lite: Story = { args: { loading: "click" } };

/** A local project, code beside output. */
export const Local: Story = {};

/** The tabs layout: one view at a time. */
export const Tabs: Story = { args: { layout: "tabs" } };

/** Connected to a room, with the room's chat as a pane. */
export const Connected: Story = { args: { chat: true }, loaders: [roomWith("storybook-playground", { "index.tsx": APP })] };

/** Read-only: the files and the output, no edits. */
export const ReadOnly: Story = { args: { readonly: true }, loaders: [roomWith("storybook-playground-ro", { "index.tsx": APP })] };

/** A syntax error in the code: the preview's overlay, the console's entry. */
export const BuildError: Story = { args: { code: BUILD_ERROR_APP } };

/** The server cannot be reached. */
export const Offline: Story = { args: { room: UNREACHABLE_ROOM, server: UNREACHABLE_SERVER } };

/** theme="dark". */
export const Dark: Story = { args: { theme: "dark" }, render: (args) => frame({ dark: true }, playground(args)) };

/** On a phone-sized screen: below `stack-below` the layout is stacked, whatever `layout` says. */
export const Mobile: Story = {
  globals: { viewport: { value: "mobile1", isRotated: false } },
  render: (args) => frame({ width: 375 }, playground(args)),
};
