import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";

// The spike-* tags are custom elements, not Vue components: Vue's compiler leaves them to the browser.
export default defineConfig({
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith("spike-") } } })],
});
