// Element-level tests in Debian's Chromium (never a downloaded browser), against the built bundle (dist/site/spike.js,
// which `npm test` builds first). Files are `*.browser-test.ts`, so node's test runner (which takes `*.test.ts`) skips them.
import { esbuildPlugin } from "@web/dev-server-esbuild";
import { playwrightLauncher } from "@web/test-runner-playwright";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./scripts/chromium.mjs";

export default {
  files: ["elements/**/*.browser-test.ts"],
  rootDir: ".",
  hostname: "127.0.0.1",
  nodeResolve: false,
  plugins: [esbuildPlugin({ ts: true, target: "auto" })],
  browsers: [
    playwrightLauncher({
      product: "chromium",
      launchOptions: {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
      },
    }),
  ],
  testFramework: { config: { timeout: 30000 } },
  testsFinishTimeout: 120000,
};
