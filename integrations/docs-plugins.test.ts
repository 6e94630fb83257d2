// The docs-site plugins on a fixture page (integrations/fixtures/spike-fences.md): each spike fence becomes a lite embed
// whose code is highlighted by the lite view's own tokenizer, byte for byte the fence's text; other fences are untouched;
// a bad option stops the build with a message naming the option and the line. (In Chromium: docs-plugins.e2e.test.ts.)
import assert from "node:assert/strict";
import { test } from "node:test";
import { tokenize } from "../elements/internal/tokenize.js";
import { parseFence } from "./docs-embed.js";
import { FIXTURE_MARKDOWN, RENDERERS } from "../test-support/docs-sites.js";

/** Text with the entities both serializers write (`&lt;`, `&#x3C;`, `&quot;` …) decoded. */
function decode(html: string): string {
  const named: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };
  return html.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(\w+));/gi, (entity, hex: string, dec: string, name: string) =>
    hex ? String.fromCodePoint(parseInt(hex, 16)) : dec ? String.fromCodePoint(Number(dec)) : (named[name] ?? entity),
  );
}

interface Embed {
  /** The embed's opening tags (attributes as written), e.g. `<spike-editor project="…">`. */
  editor: string;
  preview: string | null;
  /** The `<pre data-file>`'s file name. */
  file: string;
  /** The pre's text, decoded. */
  text: string;
  /** Its coloured spans as [kind, text], decoded. */
  spans: [string, string][];
}

/** The spike embeds of a rendered page, in order. */
function embedsOf(html: string): Embed[] {
  const embeds: Embed[] = [];
  for (const [, inner] of html.matchAll(/<div class="spike-embed">([\s\S]*?)<\/div>/g)) {
    const editor = /<spike-editor[^>]*>/.exec(inner!)?.[0];
    const pre = /<pre data-file="([^"]+)">([\s\S]*?)<\/pre>/.exec(inner!);
    assert.ok(editor && pre, `an embed without its editor or code: ${inner}`);
    embeds.push({
      editor,
      preview: /<spike-preview[^>]*>/.exec(inner!)?.[0] ?? null,
      file: pre[1]!,
      text: decode(pre[2]!.replace(/<[^>]+>/g, "")),
      spans: [...pre[2]!.matchAll(/<span class="t-(\w+)">([^<]*)<\/span>/g)].map(([, kind, piece]) => [kind!, decode(piece!)]),
    });
  }
  return embeds;
}

/** The code of each spike fence of the fixture, as written (with its final newline). */
const FENCES = [...FIXTURE_MARKDOWN.matchAll(/^```\w+ spike[^\n]*\n([\s\S]*?)^```$/gm)].map(([, code]) => code!);

for (const [name, render] of Object.entries(RENDERERS)) {
  test(`${name}: every spike fence becomes an editor with its code highlighted as the lite view does, and a preview on the same project or room`, async () => {
    const embeds = embedsOf(await render(FIXTURE_MARKDOWN));
    assert.equal(FENCES.length, 5);
    assert.equal(embeds.length, FENCES.length);
    embeds.forEach((embed, i) => {
      assert.equal(embed.text, FENCES[i], `embed ${i}: the code is the fence's, character for character`);
      const coloured = tokenize(FENCES[i]!).filter(([kind]) => kind);
      assert.deepEqual(embed.spans, coloured, `embed ${i}: the spans are the tokenizer's`);
    });
    const [local, room, readonly, module, entry] = embeds;
    assert.match(local!.editor, /^<spike-editor project="spike-0-[0-9a-z]+">$/);
    assert.equal(local!.preview, local!.editor.replace("spike-editor", "spike-preview"));
    assert.equal(local!.file, "index.tsx");
    assert.equal(room!.editor, '<spike-editor room="docs-fixture" loading="eager">');
    assert.equal(room!.preview, '<spike-preview room="docs-fixture" loading="eager">');
    assert.match(readonly!.editor, /^<spike-editor project="spike-2-[0-9a-z]+" loading="click" file="index.ts" readonly>$/);
    assert.equal(readonly!.preview, null);
    assert.equal(readonly!.file, "index.ts");
    // Fences sharing a project: one module without a preview, and the entry with the project's preview.
    assert.equal(module!.editor, '<spike-editor project="intro" loading="eager" file="label.ts">');
    assert.equal(module!.preview, null);
    assert.equal(entry!.editor, '<spike-editor project="intro" loading="eager">');
    assert.equal(entry!.preview, '<spike-preview project="intro" loading="eager">');
  });

  test(`${name}: markup inside the code stays text, and an ordinary fence stays an ordinary code block`, async () => {
    const html = await render(FIXTURE_MARKDOWN);
    assert.doesNotMatch(html, /<\/script>|<b>bold/);
    assert.match(html, /<pre><code class="language-ts">const untouched = true;\n<\/code><\/pre>/);
  });

  test(`${name}: a fence with a bad option stops the build, naming the option and the line`, async () => {
    const page = (info: string) => `# Title\n\nSome text.\n\n\`\`\`${info}\nexport default 1;\n\`\`\`\n`;
    const cases: [string, RegExp][] = [
      ["tsx spike rom=demo", /unknown option "rom"/],
      ["tsx spike room=../etc", /room=\.\.\/etc is not a room id/],
      ["tsx spike room=", /room= is not a room id/],
      ["tsx spike loading=soon", /loading=soon is not one of lazy, click, eager/],
      ["tsx spike file=../x.tsx", /file=\.\.\/x\.tsx is not a file name/],
      ["tsx spike readonly=yes", /readonly takes no value/],
      ["tsx spike room=a project=b", /room and project exclude each other/],
    ];
    for (const [info, message] of cases) {
      await assert.rejects(
        async () => render(page(info)),
        (error: Error) => {
          assert.match(error.message, message, info);
          // Line 5 of the page (1-based): remark reports it as 5:1, markdown-it as "line 5".
          assert.match(`${error.message} ${(error as { line?: number }).line ?? ""}`, name === "remark" ? / 5$/ : /\(line 5\)/, info);
          return true;
        },
      );
    }
  });

  test(`${name}: the plugin's options reach every embed, and a fence's own options win`, async () => {
    const markdown = "```tsx spike\nexport default 1;\n```\n\n```tsx spike theme=light loading=lazy\nexport default 2;\n```\n";
    const [first, second] = embedsOf(await render(markdown, { server: "https://spike.example/", loading: "click", theme: "dark" }));
    assert.match(first!.editor, /^<spike-editor project="spike-0-\w+" server="https:\/\/spike.example\/" theme="dark" loading="click">$/);
    assert.match(second!.editor, /^<spike-editor project="spike-1-\w+" server="https:\/\/spike.example\/" theme="light">$/);
  });
}

test("both plugins write the same embeds for the same page", async () => {
  const [remark, markdownIt] = await Promise.all([RENDERERS.remark(FIXTURE_MARKDOWN), RENDERERS["markdown-it"](FIXTURE_MARKDOWN)]);
  assert.deepEqual(embedsOf(remark), embedsOf(markdownIt));
});

test("only tsx, ts, jsx and js fences whose meta starts with the word spike are spike fences", () => {
  assert.equal(parseFence("tsx", null), null);
  assert.equal(parseFence("tsx", "spiked"), null);
  assert.equal(parseFence("python", "spike"), null);
  assert.equal(parseFence(undefined, "spike"), null);
  assert.deepEqual(parseFence("jsx", "spike"), { lang: "jsx", file: "index.jsx", entry: "index.jsx", readonly: false, preview: true });
  assert.deepEqual(parseFence("tsx", 'spike project=intro file="App.tsx"'), { lang: "tsx", project: "intro", file: "App.tsx", readonly: false, preview: true });
});

test("markdown-it: a page compiled as a Vue template (as VitePress does) keeps `{{ … }}` in the code as code", async () => {
  const { createSSRApp } = await import("vue");
  const { renderToString } = await import("vue/server-renderer");
  const code = "const x = {{ a: 1 }};\nexport default () => <p>{x.a}</p>;\n";
  const app = createSSRApp({ template: await RENDERERS["markdown-it"](`\`\`\`tsx spike\n${code}\`\`\`\n`) });
  app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith("spike-");
  const warnings: string[] = [];
  app.config.warnHandler = (message) => void warnings.push(message);
  const [embed] = embedsOf(await renderToString(app));
  assert.deepEqual(warnings, []);
  assert.equal(embed?.text, code);
});
