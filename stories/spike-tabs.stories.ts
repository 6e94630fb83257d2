/**
 * <spike-tabs> with the editor it drives: lite, local, connected, read-only, offline, dark and mobile.
 */
import type { Meta, StoryObj } from "@storybook/web-components-vite";
import { APP, UNREACHABLE_ROOM, UNREACHABLE_SERVER, element, frame, inlineFile, roomWith, type Loaded } from "./support.js";

type Args = Record<string, unknown>;

const STYLES = `export const accent = "rebeccapurple";\n`;

/** Tabs and an editor on one project: the room prepared by the loader, else a local one of two inline files. */
function tabsWithEditor({ loading, readonly, theme, server, ...args }: Args, room?: string): HTMLElement {
  // Without a room, the elements inside share the local project of the inline files.
  const shared = { room: room ?? args.room, server, theme };
  const project = shared.room ? undefined : "storybook-tabs";
  const files = shared.room ? [] : [inlineFile("index.tsx", APP), inlineFile("theme.ts", STYLES)];
  return element(
    "spike-room",
    { ...shared, project },
    ...files,
    element("spike-tabs", { ...args, loading, readonly, theme }),
    element("spike-editor", { loading, readonly, theme }),
  );
}

const meta: Meta<Args> = {
  title: "Elements/spike-tabs",
  component: "spike-tabs",
  args: { loading: "eager" },
  render: (args, { loaded }) => tabsWithEditor(args, (loaded as Partial<Loaded>).room),
};
export default meta;
type Story = StoryObj<Args>;

/** Before it loads: the file names, no buttons yet. */
export const Lite: Story = { args: { loading: "click" } };

/** A local project of two files: add, rename and delete files. */
export const Local: Story = {};

/** A room's files: every collaborator sees the same tabs. */
export const Connected: Story = { loaders: [roomWith("storybook-tabs", { "index.tsx": APP, "theme.ts": STYLES })] };

/** Read-only: the files without Add, Rename and Delete. */
export const ReadOnly: Story = { args: { readonly: true }, loaders: [roomWith("storybook-tabs-ro", { "index.tsx": APP, "theme.ts": STYLES })] };

/** The server cannot be reached. */
export const Offline: Story = { args: { room: UNREACHABLE_ROOM, server: UNREACHABLE_SERVER } };

/** theme="dark". */
export const Dark: Story = { args: { theme: "dark" }, render: (args) => frame({ dark: true }, tabsWithEditor(args)) };

/** On a phone-sized screen (375 px wide). */
export const Mobile: Story = {
  globals: { viewport: { value: "mobile1", isRotated: false } },
  render: (args) => frame({ width: 375 }, tabsWithEditor(args)),
};
