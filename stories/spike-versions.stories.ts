/**
 * <spike-versions>: lite, a room with no versions yet, a room with saved versions, read-only room, dark and mobile.
 */
import type { Meta, StoryObj } from "@storybook/web-components-vite";
import { APP, READONLY_ROOM, element, frame, freshRoom, putFiles, spikeServer, type Loaded } from "./support.js";

type Args = Record<string, unknown>;

/**
 * A loader that gives the story a fresh room with the sample app saved as two named versions (`POST /live/<room>/versions`,
 * what the Save button sends).
 * @example loaders: [roomWithVersions("storybook-versions")]
 */
function roomWithVersions(prefix: string, names: string[] = ["First draft", "Published"]): () => Promise<Loaded> {
  return async () => {
    const room = freshRoom(prefix);
    await putFiles(room, { "index.tsx": APP });
    for (const name of names) {
      const response = await fetch(`${spikeServer()}/live/${room}/versions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name }),
      });
      if (response.status !== 201) throw new Error(`saving version "${name}" of room ${room}: ${response.status} ${await response.text()}`);
    }
    return { room };
  };
}

const versions = (args: Args, room?: string) => element("spike-versions", { ...args, room: room ?? args.room });

const meta: Meta<Args> = {
  title: "Elements/spike-versions",
  component: "spike-versions",
  args: { loading: "eager" },
  render: (args, { loaded }) => versions(args, (loaded as Partial<Loaded>).room),
};
export default meta;
type Story = StoryObj<Args>;

/** Before it loads. */
export const Lite: Story = { args: { loading: "click" }, loaders: [roomWithVersions("storybook-versions-lite", [])] };

/** A room nobody saved yet: the Save form, and an empty list. */
export const Empty: Story = { loaders: [roomWithVersions("storybook-versions-empty", [])] };

/** Two saved versions, newest first: Restore (asks first), Fork and Copy embed on each. */
export const Connected: Story = { loaders: [roomWithVersions("storybook-versions")] };

/** A room the reader may only watch: Save and Restore disabled; Fork and Copy embed still offered. */
export const ReadOnlyRoom: Story = { args: { room: READONLY_ROOM } };

/** theme="dark". */
export const Dark: Story = {
  args: { theme: "dark" },
  loaders: [roomWithVersions("storybook-versions-dark")],
  render: (args, { loaded }) => frame({ dark: true }, versions(args, (loaded as Partial<Loaded>).room)),
};

/** On a phone-sized screen (375 px wide). */
export const Mobile: Story = {
  globals: { viewport: { value: "mobile1", isRotated: false } },
  loaders: [roomWithVersions("storybook-versions-mobile")],
  render: (args, { loaded }) => frame({ width: 375 }, versions(args, (loaded as Partial<Loaded>).room)),
};
