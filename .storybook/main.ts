/**
 * Storybook for the spike elements. The stories never bundle the elements: every story page loads the site's CDN build
 * (`/spike.js`, with Monaco and its workers beside it), so what Storybook shows is exactly what an embed gets.
 * - `npm run build-storybook` (static, served by the main Worker at /storybook/): `/spike.js` and the rooms on the same origin.
 * - `npm run storybook` (dev server on :6006): everything from the local stack at $SPIKE_SERVER (default http://localhost:8787,
 *   started with `npm start`), whose CORS lets any origin in unless ALLOWED_ORIGINS narrows it.
 */
import type { StorybookConfig } from "@storybook/web-components-vite";

/** Where the dev server's stories find spike (the static build uses its own origin). */
const DEV_SERVER = (process.env.SPIKE_SERVER ?? "http://localhost:8787").replace(/\/+$/, "");

const config: StorybookConfig = {
  stories: ["../stories/**/*.stories.ts"],
  framework: { name: "@storybook/web-components-vite", options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  previewHead: (head, options) => {
    const server = options?.configType === "PRODUCTION" ? "" : DEV_SERVER;
    return `${head ?? ""}
<link rel="icon" href="data:,">
<script type="module" src="${server}/spike.js"></script>
<style>html, body { font-family: system-ui, sans-serif; }</style>`;
  },
  viteFinal: (vite, options) => ({
    ...vite,
    define: {
      ...vite.define,
      // stories/support.ts: the origin of the spike server the stories' loaders call ("" = the page's own).
      __SPIKE_SERVER__: JSON.stringify(options.configType === "PRODUCTION" ? "" : DEV_SERVER),
    },
  }),
};

export default config;
