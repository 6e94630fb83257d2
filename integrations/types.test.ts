/**
 * integrations/types/ is generated from custom-elements.json (scripts/build/integration-types.mjs, run by `npm run manifest`):
 * the committed files must be what the manifest gives now, and each must name every element, attribute and event in it.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { OUTPUTS, generateIntegrationTypes, publicManifest } from "../scripts/build/integration-types.mjs";

interface Declaration {
  name: string;
  tagName?: string;
  attributes?: { name: string; fieldName?: string }[];
  events?: { name: string; type?: { text: string } }[];
}

const manifest = JSON.parse(readFileSync("custom-elements.json", "utf8")) as { modules: { declarations?: Declaration[] }[] };
const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName);
const out = mkdtempSync(join(tmpdir(), "spike-integration-types-"));
after(() => rmSync(out, { recursive: true, force: true }));

test("the committed typings and editor data are what custom-elements.json gives (run `npm run manifest` after an API change)", () => {
  generateIntegrationTypes(out);
  for (const file of Object.values(OUTPUTS)) {
    assert.equal(readFileSync(join("integrations/types", file), "utf8"), readFileSync(join(out, file), "utf8"), `integrations/types/${file} is stale`);
  }
});

test("the typings name every element, attribute and event of the manifest, with each event's detail type", () => {
  assert.deepEqual(elements.map((e) => e.tagName).sort(), ["spike-chat", "spike-console", "spike-editor", "spike-playground", "spike-preview", "spike-room", "spike-tabs", "spike-versions"]);
  const jsx = readFileSync(join("integrations/types", OUTPUTS.jsx), "utf8");
  const vue = readFileSync(join("integrations/types", OUTPUTS.vue), "utf8");
  for (const element of elements) {
    for (const text of [jsx, vue]) assert.ok(text.includes(`"${element.tagName}":`), `${element.tagName} is typed`);
    for (const attribute of element.attributes ?? []) {
      const key = /^[a-z]+$/.test(attribute.name) ? `${attribute.name}?:` : `"${attribute.name}"?:`;
      for (const text of [jsx, vue]) assert.ok(text.includes(`  ${key}`), `${element.tagName}[${attribute.name}] is typed`);
    }
    for (const event of element.events ?? []) {
      const detail = /^CustomEvent<(\w+)>$/.exec(event.type?.text ?? "")?.[1];
      assert.ok(detail, `${element.tagName}'s ${event.name} has a detail type in the manifest`);
      assert.ok(jsx.includes(`"on${event.name}"?:`) && jsx.includes(`"on:${event.name}"?:`), `JSX types ${event.name} (React 19, Svelte, Solid)`);
      assert.ok(vue.includes(`"on${event.name}"?: (e: CustomEvent<${detail}>) => void;`), `Vue types ${event.name}'s detail`);
      assert.match(jsx, new RegExp(`${element.name}ElementEvent<\\s*CustomEvent<${detail}>`), `JSX types ${event.name}'s detail`);
    }
  }
});

test("VS Code and JetBrains learn every element, attribute and event, and the CSS custom properties and parts", () => {
  const vscode = JSON.parse(readFileSync(join("integrations/types", OUTPUTS.vscodeHtml), "utf8")) as {
    tags: { name: string; attributes: { name: string }[]; description: string }[];
  };
  const css = JSON.parse(readFileSync(join("integrations/types", OUTPUTS.vscodeCss), "utf8")) as { properties: { name: string }[] };
  const webTypes = JSON.parse(readFileSync(join("integrations/types", OUTPUTS.webTypes), "utf8")) as {
    name: string;
    contributions: { html: { elements: { name: string; attributes: { name: string }[]; js: { events: { name: string }[] } }[] } };
  };
  assert.equal(webTypes.name, "spike");
  for (const element of elements) {
    const tag = vscode.tags.find((t) => t.name === element.tagName);
    const web = webTypes.contributions.html.elements.find((e) => e.name === element.tagName);
    assert.ok(tag && web, `${element.tagName} is in both`);
    for (const attribute of element.attributes ?? []) {
      assert.ok(tag.attributes.some((a) => a.name === attribute.name), `VS Code knows ${element.tagName}[${attribute.name}]`);
      assert.ok(web.attributes.some((a) => a.name === attribute.name), `JetBrains knows ${element.tagName}[${attribute.name}]`);
    }
    for (const event of element.events ?? []) {
      assert.ok(tag.description.includes(event.name), `VS Code describes ${element.tagName}'s ${event.name}`);
      assert.ok(web.js.events.some((e) => e.name === event.name), `JetBrains knows ${element.tagName}'s ${event.name}`);
    }
  }
  assert.ok(css.properties.some((p) => p.name === "--spike-editor-height"), "VS Code completes the --spike-* custom properties");
});

test("only the tags' classes are imported from the package: the shared base and its helpers stay out", () => {
  const view = publicManifest(manifest);
  const names = view.modules.flatMap((m: { declarations: Declaration[] }) => m.declarations.map((d) => d.name)).sort();
  assert.deepEqual(names, ["SpikeChat", "SpikeConsole", "SpikeEditor", "SpikePlayground", "SpikePreview", "SpikeRoom", "SpikeTabs", "SpikeVersions"]);
  const jsx = readFileSync(join("integrations/types", OUTPUTS.jsx), "utf8");
  assert.doesNotMatch(jsx, /RoomElement|BUNDLE_ORIGIN|roomContext/);
});

test("spike/react has an on… prop for every event of the manifest (spike-change -> onSpikeChange)", () => {
  const wrappers = readFileSync("integrations/react.ts", "utf8");
  for (const event of new Set(elements.flatMap((e) => e.events ?? []).map((e) => e.name))) {
    const prop = `on${event.replace(/(^|-)([a-z])/g, (_, _dash, letter: string) => letter.toUpperCase())}`;
    assert.ok(wrappers.includes(`${prop}: spikeEvent("${event}")`), `integrations/react.ts maps ${event} to ${prop}`);
  }
});
