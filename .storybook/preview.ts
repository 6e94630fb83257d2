/**
 * Controls for every story come from the elements' own Custom Elements Manifest (custom-elements.json, generated from
 * their JSDoc by `npm run manifest`): attributes, properties, events, slots, parts and custom properties.
 */
import { setCustomElementsManifest } from "@storybook/web-components";
import type { Preview } from "@storybook/web-components-vite";
import manifest from "../custom-elements.json";

setCustomElementsManifest(manifest);

const preview: Preview = {
  parameters: {
    controls: { expanded: true },
    layout: "padded",
  },
};

export default preview;
