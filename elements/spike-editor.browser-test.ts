/**
 * <spike-editor> in a page, no server: the built bundle (dist/site/spike.js) in real Chromium under web-test-runner.
 * Room behaviour (two pages, a real Durable Object) is covered by spike-editor.e2e.test.ts.
 */
import type { SpikeEditor } from "./spike-editor.js";

const BUNDLE = "/dist/site/spike.js";
await import(BUNDLE);

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Resolve once `test()` holds, checking every animation frame (mocha's timeout bounds it). */
async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((resolve) => requestAnimationFrame(resolve));
}

function mount(html: string): SpikeEditor {
  const host = document.createElement("div");
  host.innerHTML = html;
  document.body.append(host);
  return host.querySelector("spike-editor")!;
}

const shown = (editor: SpikeEditor) => editor.shadowRoot!.querySelector(".view-lines")?.textContent?.replace(/\u00a0/g, " ") ?? "";
const ready = (editor: SpikeEditor) => !!editor.shadowRoot?.querySelector<HTMLElement>("[part=loading]")?.hidden;

describe("<spike-editor> without a room", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  it("shows the inline file as highlighted code at once, then in Monaco, and reports status local", async () => {
    const statuses: string[] = [];
    document.addEventListener("spike-status", (e) => statuses.push(e.detail.status), { once: true });
    const editor = mount(`<spike-editor><script type="text/plain" data-file="index.tsx">
        let answer = 42;
      </script></spike-editor>`);
    await editor.updateComplete;
    const code = editor.shadowRoot!.querySelector("[part=code]");
    check(code?.textContent === "let answer = 42;\n", `the lite view shows the file before Monaco arrives: ${code?.textContent}`);
    check(code.querySelector(".t-keyword")?.textContent === "let", "highlighted");
    // In view, a lazy editor loads by itself: the loading state, then Monaco.
    await until(() => !!editor.shadowRoot!.querySelector("[part=loading]"));
    await until(() => ready(editor) && shown(editor).includes("let answer = 42;"));
    check(statuses[0] === "local" && editor.status === "local", `status: ${statuses.join()}`);
  });

  it("with loading=click stays lite until its button is pressed", async () => {
    const editor = mount(`<spike-editor loading="click"></spike-editor>`);
    await editor.updateComplete;
    for (let frame = 0; frame < 10; frame++) await new Promise((resolve) => requestAnimationFrame(resolve));
    check(!editor.isLive && !editor.shadowRoot!.querySelector("[part=editor]"), "lite until clicked");
    editor.shadowRoot!.querySelector<HTMLButtonElement>("[part=activate]")!.click();
    await until(() => ready(editor));
    check(editor.isLive, "live once clicked");
  });

  it("follows theme and readonly attributes", async () => {
    const editor = mount(`<spike-editor theme="dark" readonly></spike-editor>`);
    await until(() => ready(editor));
    const base = editor.shadowRoot!.querySelector("[part=base]")!;
    check(base.classList.contains("dark"), "dark frame");
    check(!!editor.shadowRoot!.querySelector(".monaco-editor.vs-dark"), "Monaco in its dark theme");
    editor.theme = "light";
    await editor.updateComplete;
    await until(() => !!editor.shadowRoot!.querySelector(".monaco-editor.vs"));
    check(!base.classList.contains("dark"), "light frame");
    check(editor.hasAttribute("readonly") && editor.readonly, "readonly reflected");
  });

  it("adopts Monaco's CSS into its shadow root and the codicon font into the document", async () => {
    const editor = mount(`<spike-editor></spike-editor>`);
    await until(() => ready(editor));
    const lines = editor.shadowRoot!.querySelector(".monaco-editor .view-lines")!;
    check(getComputedStyle(lines).whiteSpace === "nowrap" || getComputedStyle(lines).position === "absolute", "Monaco CSS applies");
    const fonts = [...document.adoptedStyleSheets].flatMap((s) => [...s.cssRules]).map((r) => r.cssText);
    check(fonts.some((r) => r.includes("codicon")), "codicon @font-face in the document");
  });
});
