/**
 * <spike-console> beside a preview: the app's console output (log, info, warn, error), a runtime error with its file:line,
 * dark and mobile. The console, preview and editor share one local project through a <spike-room>.
 */
import type { Meta, StoryObj } from "@storybook/web-components-vite";
import { LOGGING_APP, RUNTIME_ERROR_APP, element, frame, inlineFile } from "./support.js";

type Args = Record<string, unknown> & { code?: string };

/** A local project with a preview and the console from the story's args. */
function consoleWithPreview({ code = LOGGING_APP, theme, ...args }: Args): HTMLElement {
  const preview = element("spike-preview", { loading: "eager", theme });
  preview.style.setProperty("--spike-preview-height", "120px");
  return element("spike-room", { project: "storybook-console", theme }, inlineFile("index.tsx", String(code)), preview, element("spike-console", { theme, ...args }));
}

const meta: Meta<Args> = {
  title: "Elements/spike-console",
  component: "spike-console",
  argTypes: { code: { control: "text", description: "The app the preview runs (index.tsx)." } },
  render: (args) => consoleWithPreview(args),
};
export default meta;
type Story = StoryObj<Args>;

/** The app's console calls (log, warn, debug, info), in order, with their levels. */
export const Logging: Story = {};

/** A runtime error of the app, with a file:line link that reveals the line in the editor. */
export const RuntimeError: Story = { args: { code: RUNTIME_ERROR_APP } };

/** Only the last lines: `max-lines` keeps the newest and says how many went. */
export const MaxLines: Story = { args: { "max-lines": 2 } };

/** theme="dark". */
export const Dark: Story = { args: { theme: "dark" }, render: (args) => frame({ dark: true }, consoleWithPreview(args)) };

/** On a phone-sized screen (375 px wide). */
export const Mobile: Story = {
  globals: { viewport: { value: "mobile1", isRotated: false } },
  render: (args) => frame({ width: 375 }, consoleWithPreview(args)),
};
