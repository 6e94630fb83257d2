/** custom-elements.json is generated from the elements' JSDoc; this keeps the committed copy from going stale. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { test } from "node:test";

test("custom-elements.json matches the elements' JSDoc (run `npm run manifest` after changing an element's API)", () => {
  const out = mkdtempSync(join(tmpdir(), "spike-cem-"));
  try {
    execFileSync(
      process.execPath,
      [
        "node_modules/@custom-elements-manifest/analyzer/cem.js",
        "analyze", // globs and options from custom-elements-manifest.config.mjs
        "--outdir", relative(process.cwd(), out), // the analyzer joins outdir onto the cwd
      ],
      { stdio: "ignore" },
    );
    const fresh = JSON.parse(readFileSync(join(out, "custom-elements.json"), "utf8"));
    const committed = JSON.parse(readFileSync("custom-elements.json", "utf8"));
    assert.deepEqual(committed, fresh);
    const editor = fresh.modules.flatMap((m: { declarations?: unknown[] }) => m.declarations ?? []).find(
      (d: { tagName?: string }) => d.tagName === "spike-editor",
    );
    assert.deepEqual(
      editor.events.map((e: { name: string }) => e.name),
      ["spike-change", "spike-status", "spike-auth-required", "spike-fork", "spike-fork-error", "spike-room-created"],
    );
    const preview = fresh.modules.flatMap((m: { declarations?: unknown[] }) => m.declarations ?? []).find(
      (d: { tagName?: string }) => d.tagName === "spike-preview",
    );
    assert.deepEqual(
      preview.events.map((e: { name: string }) => e.name).sort(),
      ["spike-auth-required", "spike-console", "spike-error", "spike-render", "spike-room-created"],
    );
    // The room, server, project, theme and sign-in properties live once, on the shared base
    // (elements/internal/room-element.ts); every element still lists them as its own API.
    for (const tag of ["spike-editor", "spike-preview", "spike-chat", "spike-room"]) {
      const element = fresh.modules.flatMap((m: { declarations?: unknown[] }) => m.declarations ?? []).find(
        (d: { tagName?: string }) => d.tagName === tag,
      );
      assert.ok(element, `${tag} is in the manifest`);
      const fields = element.members.filter((m: { kind: string }) => m.kind === "field").map((m: { name: string }) => m.name);
      for (const name of ["room", "project", "server", "theme", "fork", "key", "getToken", "clerk", "clerkPublishableKey", "clerkJsUrl"]) {
        assert.ok(fields.includes(name), `${tag} lists the property ${name}`);
      }
      assert.deepEqual(
        element.attributes.map((a: { name: string }) => a.name).filter((name: string) => !["file", "readonly", "entry", "model", "author"].includes(name)),
        // The elements with a lite view share `loading` too (elements/internal/lite-element.ts); <spike-room> has none.
        [...(tag === "spike-room" ? [] : ["loading"]), "room", "project", "server", "theme", "persist", "fork", "version", "key", "clerk-publishable-key", "clerk-js-url"],
        `${tag}'s shared attributes`,
      );
      const loading = element.attributes.find((a: { name: string }) => a.name === "loading");
      if (loading) assert.equal(loading.default, '"lazy"', `${tag}'s loading defaults to lazy`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
