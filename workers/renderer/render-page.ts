/**
 * The page a render shows: an empty document whose `#root` the app mounts into, and the script that runs the app in it. The
 * script is a string, not a function: puppeteer would send a function's source, and the bundler's helpers in it (`__name`)
 * do not exist in the page.
 */
import type { RenderRequest } from "./render-input.js";

/** The global the page script sets once the app has painted, or failed: `{ok: true}` or `{ok: false, message}`. */
export const DONE_GLOBAL = "__spikeRendered";

/**
 * The document before the app runs: the theme's color scheme (so an app that sets no colours is drawn in the theme's), a
 * margin-free body and the `#root` the preview also gives an app.
 * @example await page.setContent(shellHtml("dark"));
 */
export function shellHtml(theme: RenderRequest["theme"]): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="color-scheme" content="${theme}" />
    <style>
      html, body { margin: 0; }
      body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
      #spike-caption { position: fixed; left: 0; right: 0; bottom: 0; padding: 16px 32px; font: 600 28px/1.2 system-ui, sans-serif;
        color: #fff; background: rgba(17, 24, 39, 0.85); z-index: 2147483647; }
    </style>
  </head>
  <body><div id="root"></div></body>
</html>`;
}

/**
 * The script that runs the app: imports the bundle from a blob URL; a default-exported function is a React component,
 * rendered into `#root` with the same React the bundle imports (as the preview frame does); anything else drew itself
 * when it ran. Then it waits for fonts and two frames and sets {@link DONE_GLOBAL}. It returns at once: an app that never
 * finishes (a `while (true)`) blocks the page, and the renderer's own timer ends the render.
 * @example await page.evaluate(pageScript(input));
 */
export function pageScript({ code, react, caption }: Pick<RenderRequest, "code" | "react" | "caption">): string {
  return `void (async (code, react, caption) => {
  try {
    const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
    const app = await import(url);
    if (typeof app.default === "function" && react) {
      const [React, client] = await Promise.all([import(react.react), import(react.client)]);
      const root = client.createRoot(document.getElementById("root"));
      await new Promise((rendered, failed) => {
        const App = app.default;
        function Done() {
          React.useEffect(() => { rendered(); }, []);
          return null;
        }
        window.addEventListener("error", (event) => failed(event.error ?? new Error(event.message)), { once: true });
        root.render(React.createElement(React.Fragment, null, React.createElement(App), React.createElement(Done)));
      });
    }
    if (caption) {
      const line = document.createElement("div");
      line.id = "spike-caption";
      line.textContent = caption;
      document.body.append(line);
    }
    await document.fonts.ready;
    await new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted)));
    window.${DONE_GLOBAL} = { ok: true };
  } catch (error) {
    window.${DONE_GLOBAL} = { ok: false, message: String((error && error.message) || error) };
  }
})(${JSON.stringify(code)}, ${JSON.stringify(react)}, ${JSON.stringify(caption ?? null)});`;
}
