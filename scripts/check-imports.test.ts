/**
 * scripts/check-imports.mjs: the repository keeps the dependency rules, and the check really fails on each kind of import
 * that breaks one (in a throwaway copy of the folder layout), naming the file and line.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./check-imports.mjs", import.meta.url));
const temp = mkdtempSync(join(tmpdir(), "spike-imports-"));
after(() => rmSync(temp, { recursive: true, force: true }));

function check(root?: string) {
  const result = spawnSync(process.execPath, [SCRIPT, ...(root ? [root] : [])], { encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A repository layout in a fresh folder under the temp dir, from `{path: source}`. */
function layout(name: string, files: Record<string, string>): string {
  const root = join(temp, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const CLEAN = {
  "workers/main/index.ts": 'import { CodeRoom } from "../durable-objects/code-room.js";\nimport { readConfig } from "../platform/config.js";\n',
  "workers/durable-objects/code-room.ts": 'import { readConfig } from "../platform/config.js";\nimport * as Y from "yjs";\n',
  "workers/platform/config.ts": 'import type { CodeRoom } from "../durable-objects/code-room.js";\n',
  "core/project.ts": 'import * as Y from "yjs";\nimport { decode } from "./protocol.js";\n',
  "elements/spike-editor.ts": 'import { RoomClient } from "../core/room-client.js";\n',
  // Tests may cross the lines: an element's end-to-end test starts the real Worker.
  "elements/spike-editor.e2e.test.ts": 'import { startTestWorker } from "../workers/test-support.js";\n',
  "core/auth.test.ts": 'import { createTestSigner } from "../workers/test-tokens.js";\n',
};

test("the repository keeps the dependency rules", () => {
  const { status, output } = check();
  assert.equal(status, 0, output);
  assert.match(output, /check-imports: ok/);
});

test("a layout that keeps the rules passes", () => {
  const { status, output } = check(layout("clean", CLEAN));
  assert.equal(status, 0, output);
});

test("each kind of forbidden import fails the check, named by file and line", () => {
  const cases: [string, string, string][] = [
    ["a Durable Object importing the main Worker", "workers/durable-objects/room-chat.ts", '// why\nimport { jsonError } from "../main/errors.js";\n'],
    ["a Durable Object re-exporting from it", "workers/durable-objects/metrics.ts", '\nexport { METRIC } from "../main/metrics.js";\n'],
    ["a type-only import", "workers/durable-objects/room-access.ts", '\nimport type { Identity } from "../main/auth.js";\n'],
    ["an import() type", "workers/durable-objects/rate-limiter.ts", '\ntype Env = import("../main/env.js").Env;\n'],
    ["the kernel importing the main Worker", "workers/platform/log.ts", '\nimport { routeOf } from "../main/request-log.js";\n'],
    ["core importing an element", "core/room-client.ts", '\nimport { SpikeEditor } from "../elements/spike-editor.js";\n'],
    ["core importing a Worker", "core/build/resolve.ts", '\nconst plugin = await import("../../workers/transpiler/loaders.js");\n'],
    ["an element importing a Worker", "elements/spike-chat.ts", '\nimport { CHAT_MODELS } from "../workers/platform/ai-models.js";\n'],
  ];
  for (const [what, path, text] of cases) {
    const root = layout(what.replace(/\W+/g, "-"), { ...CLEAN, [path]: text });
    const { status, output } = check(root);
    assert.equal(status, 1, `${what}: ${output}`);
    assert.match(output, new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:2: `, "m"), `${what}: ${output}`);
    assert.match(output, /1 import\(s\) break the dependency rules/, what);
  }
});
