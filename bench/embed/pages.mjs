/**
 * The pages of the embed-weight bench: the same small React project embedded once and twenty times, as a blog post
 * would, by spike (`<spike-editor>` + `<spike-preview>`, in each loading mode), playground-elements
 * (`<playground-file-editor>` + `<playground-preview>`) and sandpack-client (its preview iframe; it has no editor).
 */

import { PLAYGROUND_HTML, PLAYGROUND_MAIN } from "../preview-app.mjs";

/** The id of the element the app renders; the bench waits for it in a preview frame. */
export const MARKER_ID = "embed-marker";

/** A word the highlighted code must show (the first line of the component). */
export const CODE_WORD = "useState";

/** The embedded project: a 20-line counter, the size of a typical snippet in a post. */
export const APP = `import { useState } from "react";

type Props = { start?: number };

/** A counter: the smallest app that shows state, events and rendering. */
export default function Counter({ start = 0 }: Props) {
  const [count, setCount] = useState(start);
  const label = count === 1 ? "click" : "clicks";
  return (
    <main style={{ fontFamily: "system-ui", padding: 16 }}>
      <h1 id="${MARKER_ID}">Counter</h1>
      <button onClick={() => setCount(count + 1)}>
        {count} {label}
      </button>
      <p>Edit the code: the preview re-renders as you type.</p>
    </main>
  );
}
`;

const PARAGRAPH = "<p>Some prose between the embeds, as in a real post: a paragraph that explains what the next snippet does, why it " +
  "is written that way, and what to try changing in it. Readers scroll past most embeds without touching them.</p>";

const escapeHtml = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** A blog-like page around `embeds` (each one embed's HTML), with a heading and prose first and between them. */
function article(title, head, embeds) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><link rel="icon" href="data:,">
${head}
<style>body { margin: 16px auto; max-width: 900px; font-family: system-ui; } .embed { margin: 24px 0; }</style>
</head><body>
<h1>${title}</h1>
${PARAGRAPH}
${embeds.map((embed, i) => `<section class="embed" id="embed-${i}">${embed}</section>\n${PARAGRAPH}`).join("\n")}
</body></html>`;
}

/** playground-elements compiles JSX to React.createElement: its users import React in every TSX file. */
const PLAYGROUND_APP = `import React from "react";\n${APP}`;

/** spike: `count` editor + preview pairs, each its own local project seeded from inline source. */
export function spikePage(count, loading) {
  const pair = (i) => `<spike-editor project="p${i}" file="index.tsx" loading="${loading}">
<script type="text/plain" data-file="index.tsx">
${APP}</script>
</spike-editor>
<spike-preview project="p${i}" loading="${loading}"></spike-preview>`;
  const head = `<script type="module" src="/spike.js"></script>
<style>spike-editor { --spike-editor-height: 300px; } spike-preview { --spike-preview-height: 220px; }</style>`;
  return article(`spike, ${count} embed${count > 1 ? "s" : ""} (loading=${loading})`, head, Array.from({ length: count }, (_, i) => pair(i)));
}

/** playground-elements: `count` projects, each with a file editor and a preview, bundled as a page would ship them. */
export function playgroundPage(count, { sandboxBase, cdnBase, importMap }) {
  const configs = Array.from({ length: count }, (_, i) => [
    `p${i}`,
    { files: { "index.html": { content: PLAYGROUND_HTML }, "main.tsx": { content: PLAYGROUND_MAIN, hidden: true }, "index.tsx": { content: PLAYGROUND_APP, selected: true } }, importMap },
  ]);
  const head = `<script type="module">
  import "/pg/__bundle.js";
  const configs = ${JSON.stringify(Object.fromEntries(configs)).replace(/</g, "\\u003c")};
  for (const [id, config] of Object.entries(configs)) {
    const project = document.getElementById(id);
    project.sandboxBaseUrl = ${JSON.stringify(sandboxBase)};
    project.cdnBaseUrl = ${JSON.stringify(cdnBase)};
    project.config = config;
  }
</script>
<style>playground-file-editor { height: 300px; border: 1px solid #ccc; } playground-preview { height: 220px; border: 1px solid #ccc; }</style>`;
  const embed = (i) => `<playground-project id="p${i}"></playground-project>
<playground-file-editor project="p${i}" filename="index.tsx"></playground-file-editor>
<playground-preview project="p${i}"></playground-preview>`;
  return article(`playground-elements, ${count} embeds`, head, Array.from({ length: count }, (_, i) => embed(i)));
}

/** sandpack-client: `count` preview iframes, each driven by a client on the hosted bundler at `bundlerURL`. */
export function sandpackPage(count, { bundlerURL }) {
  const head = `<script type="module">
  import { loadSandpackClient } from "/sandpack/__bundle.js";
  const files = { "/index.tsx": { code: ${JSON.stringify(APP)} }, "/main.tsx": { code: ${JSON.stringify(SANDPACK_MAIN)} } };
  for (const frame of document.querySelectorAll("iframe.sandpack")) {
    loadSandpackClient(frame, { files, entry: "/main.tsx", dependencies: { react: "19", "react-dom": "19" } }, { bundlerURL: ${JSON.stringify(bundlerURL)} });
  }
</script>
<style>iframe.sandpack { width: 100%; height: 220px; border: 1px solid #ccc; }</style>`;
  const embed = () => `<pre>${escapeHtml(APP)}</pre><iframe class="sandpack" title="preview"></iframe>`;
  return article(`sandpack-client, ${count} embeds`, head, Array.from({ length: count }, embed));
}

const SANDPACK_MAIN = `import { createRoot } from "react-dom/client";
import Counter from "./index";
const root = document.createElement("div");
document.body.append(root);
createRoot(root).render(<Counter />);`;
