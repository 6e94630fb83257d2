// The spike-* tags in Svelte markup: props and `onspike-…` event attributes typed from the elements' manifest.
import type { CustomElements } from "spike/jsx";

declare module "svelte/elements" {
  interface SvelteHTMLElements extends CustomElements {}
}
