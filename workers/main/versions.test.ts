/**
 * Saved versions through the real Worker, CodeRoom, R2 and the transpiler Worker in workerd: save, list, read, pinned
 * immutable files and bundles, restore as one collaborative edit that a client typing at the same time converges with,
 * undo of a restore, the alarm's automatic versions and their retention, and clean 4xx answers for bad input.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import type { RestoreUndone, Version, VersionInfo, VersionList, VersionRestored } from "../../core/api.js";
import { fileText } from "../../core/project.js";
import { closeOpened, joinRoom, startTestWorker, waitForConvergence, waitUntil, type TestWorker } from "../test-support.js";
import { createTestSigner, type TestSigner } from "../test-tokens.js";

let worker: TestWorker;
let signer: TestSigner;
const OWNER = "user_owner";
const VIEWER = "user_viewer";

before(async () => {
  signer = await createTestSigner();
  worker = await startTestWorker({
    transpiler: true,
    vars: { CLERK_JWT_KEY: signer.publicKeyPem, VERSIONS_AUTOSAVE_SECONDS: "1", VERSIONS_AUTOSAVE_KEEP: "2" },
  });
});
after(() => worker?.dispose());
afterEach(closeOpened);

/** A request to the Worker, signed in as `user` when given. */
async function call(path: string, init: RequestInit & { user?: string } = {}): Promise<Response> {
  const { user, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (user) headers.set("authorization", `Bearer ${await signer.sign({ sub: user })}`);
  return fetch(new URL(path, worker.url), { signal: AbortSignal.timeout(30_000), ...rest, headers });
}

async function json<T>(response: Response, status = 200): Promise<T> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  return JSON.parse(text) as T;
}

async function put(room: string, name: string, text: string, user?: string): Promise<void> {
  const response = await call(`/live/${room}/files/${name}`, { method: "PUT", body: text, ...(user ? { user } : {}) });
  assert.equal(response.status, 200, await response.text());
}

async function save(room: string, body?: unknown, user?: string): Promise<VersionInfo> {
  const init: RequestInit & { user?: string } = { method: "POST", ...(user ? { user } : {}) };
  if (body !== undefined) init.body = JSON.stringify(body);
  return json<VersionInfo>(await call(`/live/${room}/versions`, init), 201);
}

async function files(room: string): Promise<Record<string, string>> {
  return (await json<{ files: Record<string, string> }>(await call(`/live/${room}/session.json`))).files;
}

const APP = 'export default function App() {\n  return <h1 style={{ color: "red" }}>Hello</h1>;\n}\n';

describe("versions", () => {
  it("saves named versions with their author, lists them newest first and reads each with its files", async () => {
    const room = "versions-save";
    await put(room, "index.tsx", APP);
    await put(room, "lib/util.ts", "export const x = 1;\n");
    const first = await save(room, { name: "First draft", author: "Ada" }, OWNER);
    assert.equal(first.n, 1);
    assert.equal(first.name, "First draft");
    assert.deepEqual(first.author, { id: OWNER, name: "Ada" });
    assert.equal(first.auto, false);
    assert.ok(Math.abs(Date.parse(first.createdAt) - Date.now()) < 60_000);
    assert.deepEqual(Object.keys(first).sort(), ["author", "auto", "createdAt", "n", "name"]);

    await put(room, "index.tsx", APP.replace("red", "blue"));
    const second = await save(room);
    // Numbers only go up (the alarm may have saved an automatic version in between: VERSIONS_AUTOSAVE_SECONDS is 1 here).
    assert.ok(second.n > first.n);
    assert.equal(second.name, `Version ${second.n}`);
    assert.equal(second.author, null, "an anonymous save has no author");

    const { versions } = await json<VersionList>(await call(`/live/${room}/versions`));
    const named = versions.filter((version) => !version.auto);
    assert.deepEqual(named, [second, first]);
    const one = await json<Version>(await call(`/live/${room}/versions/1`));
    assert.deepEqual(one, { ...first, entry: "index.tsx", files: { "index.tsx": APP, "lib/util.ts": "export const x = 1;\n" } });
    assert.equal((await json<Version>(await call(`/live/${room}/versions/${second.n}`))).files["index.tsx"], APP.replace("red", "blue"));
  });

  it("serves a version's files, session and bundle pinned and immutable, unchanged while the room moves on", async () => {
    const room = "versions-pinned";
    await put(room, "index.tsx", 'import { word } from "./word";\nexport const pinned = word + "!";\n');
    await put(room, "word.ts", 'export const word = "first";\n');
    const { n } = await save(room, { name: "pin me" });
    await put(room, "word.ts", 'export const word = "second";\n');
    await put(room, "extra.ts", "export {};\n");

    const session = await call(`/live/${room}/v/${n}/session.json`);
    assert.equal(session.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.deepEqual(await json(session), {
      room,
      entry: "index.tsx",
      version: n,
      updatedAt: (await json<Version>(await call(`/live/${room}/versions/${n}`))).createdAt,
      files: { "index.tsx": 'import { word } from "./word";\nexport const pinned = word + "!";\n', "word.ts": 'export const word = "first";\n' },
    });
    const file = await call(`/live/${room}/v/${n}/files/word.ts`);
    assert.equal(file.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.equal(file.headers.get("content-type"), "text/typescript; charset=utf-8");
    assert.equal(await file.text(), 'export const word = "first";\n');
    assert.match(await (await call(`/live/${room}/v/${n}/index.tsx`)).text(), /export const pinned/);

    // Bundled when the version was saved: served from R2, and it runs with the version's text, not the room's.
    const bundle = await call(`/live/${room}/v/${n}/index.js`);
    const code = await bundle.text();
    assert.equal(bundle.status, 200, code);
    assert.equal(bundle.headers.get("x-spike-cache"), "hit");
    assert.equal(bundle.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.equal(bundle.headers.get("content-type"), "text/javascript; charset=utf-8");
    const module = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
    assert.equal(module.pinned, "first!");
    const live = await import(`data:text/javascript;base64,${Buffer.from(await (await call(`/live/${room}/index.js`)).text()).toString("base64")}`);
    assert.equal(live.pinned, "second!");
  });

  it("restores a version as one edit that a client typing at the same time converges with; undo brings the text back", async () => {
    const room = "versions-restore";
    const saved = "// header\nconst color = 'red';\n// footer\n";
    const current = "// header\nconst color = 'blue';\nconst size = 2;\n// footer\n";
    await put(room, "index.tsx", saved);
    await put(room, "gone.ts", "export const gone = true;\n");
    const { n } = await save(room);
    await put(room, "index.tsx", current);
    await put(room, "added.ts", "export const added = 1;\n");
    await call(`/live/${room}/files/gone.ts`, { method: "PUT", body: "export const gone = false;\n" });

    const alice = joinRoom(worker, room);
    const bob = joinRoom(worker, room);
    await Promise.all([alice.synced(), bob.synced()]);
    // Bob types "~" (a character neither text has) into index.tsx, one keystroke per transaction, at places spread over
    // the file, while the restore goes through.
    let typed = 0;
    let typing = true;
    const keystrokes = (async () => {
      for (let i = 0; typing || i < 20; i++) {
        const text = fileText(bob.doc, "index.tsx");
        text.insert((i * 7) % (text.length + 1), "~");
        typed++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const restored = await json<VersionRestored>(await call(`/live/${room}/versions/${n}/restore`, { method: "POST" }));
    typing = false;
    await keystrokes;
    assert.equal(restored.restored, n);
    assert.deepEqual(restored.changed.sort(), ["gone.ts", "index.tsx"]);
    assert.deepEqual(restored.deleted, ["added.ts"]);
    assert.deepEqual(restored.created, []);

    const converged = await waitForConvergence([alice, bob]);
    // The restore set the file to the version: Bob's keystrokes the room had before it went with the old text, and those
    // it had not seen yet kept their places among the restored text.
    assert.deepEqual({ ...converged, "index.tsx": converged["index.tsx"]!.replaceAll("~", "") }, { "gone.ts": "export const gone = true;\n", "index.tsx": saved });
    assert.deepEqual(await files(room), converged, "the room stored what its clients see");

    const undone = await json<RestoreUndone>(await call(`/live/${room}/restores/${restored.restore}/undo`, { method: "POST" }));
    assert.deepEqual(undone.conflicts, []);
    assert.deepEqual(undone.undone.sort(), ["added.ts", "gone.ts", "index.tsx"]);
    const back = await waitForConvergence([alice, bob]);
    // Undo brings back the text as it was before the restore, and no keystroke of Bob's is lost: those the restore
    // removed come back, and those typed during it stay.
    assert.deepEqual({ ...back, "index.tsx": back["index.tsx"]!.replaceAll("~", "") }, {
      "added.ts": "export const added = 1;\n",
      "gone.ts": "export const gone = false;\n",
      "index.tsx": current,
    });
    assert.equal(back["index.tsx"]!.split("~").length - 1, typed);
    assert.deepEqual(await files(room), back);
    // Undone once: a second undo has nothing to do.
    assert.equal((await call(`/live/${room}/restores/${restored.restore}/undo`, { method: "POST" })).status, 404);
  });

  it("an undo keeps what others typed inside the restored text since, and leaves a file the restore created alone once edited", async () => {
    const room = "versions-undo-conflict";
    await put(room, "index.tsx", "const a = 1;\n");
    await put(room, "made.ts", "// made\n");
    const { n } = await save(room);
    await put(room, "index.tsx", "const a = 2;\n");
    const carol = joinRoom(worker, room);
    await carol.synced();
    carol.doc.getMap("files").delete("made.ts");
    await waitUntil(async () => !("made.ts" in (await files(room))), { what: "made.ts to be deleted" });
    const restored = await json<VersionRestored>(await call(`/live/${room}/versions/${n}/restore`, { method: "POST" }));
    assert.deepEqual(await files(room), { "index.tsx": "const a = 1;\n", "made.ts": "// made\n" });
    assert.deepEqual(restored.created, ["made.ts"]);
    // Someone appends "00" to the restored "1" and edits the file the restore made.
    await put(room, "index.tsx", "const a = 100;\n");
    await put(room, "made.ts", "// made, then edited\n");
    const undone = await json<RestoreUndone>(await call(`/live/${room}/restores/${restored.restore}/undo`, { method: "POST" }));
    assert.deepEqual(undone, { undone: ["index.tsx"], conflicts: ["made.ts"] });
    // The restore's "1" goes, the "2" it removed comes back, the "00" typed since stays.
    assert.deepEqual(await files(room), { "index.tsx": "const a = 200;\n", "made.ts": "// made, then edited\n" });
  });

  it("the alarm saves versions by itself while the room is edited, and keeps the newest VERSIONS_AUTOSAVE_KEEP", async () => {
    const room = "versions-auto";
    const early = await call(`/live/${room}/versions`, { method: "POST" });
    assert.equal(early.status, 404, "a room nobody wrote to has nothing to save");
    await put(room, "index.tsx", "// 0\n");
    const manual = await save(room, { name: "named, never pruned" });
    const autos = async () => (await json<VersionList>(await call(`/live/${room}/versions`))).versions.filter((version) => version.auto);
    for (let i = 1; i <= 3; i++) {
      const before = (await autos()).at(0)?.n ?? 0;
      await put(room, "index.tsx", `// ${i}\n`);
      await waitUntil(async () => ((await autos()).at(0)?.n ?? 0) > before, { timeoutMs: 15_000, what: `automatic version ${i}` });
    }
    const kept = await autos();
    assert.equal(kept.length, 2, JSON.stringify(kept));
    assert.deepEqual(kept.map((version) => version.author), [null, null]);
    assert.match(kept[0]!.name, /^Autosave \d+$/);
    assert.equal((await json<Version>(await call(`/live/${room}/versions/${kept[0]!.n}`))).files["index.tsx"], "// 3\n");
    const all = (await json<VersionList>(await call(`/live/${room}/versions`))).versions;
    assert.ok(all.some((version) => version.n === manual.n), "named versions are never pruned");
    assert.equal(all.length, 3);
  });
});

describe("versions: bad input and permissions", () => {
  it("refuses unknown versions, bad numbers, bad bodies and bad restore ids with clean 4xx, storing nothing", async () => {
    const room = "versions-bad";
    await put(room, "index.tsx", APP);
    const { n } = await save(room, { name: "only" });
    const cases: Array<[string, string, RequestInit, number]> = [
      ["unknown version", `/live/${room}/versions/99`, {}, 404],
      ["restore of an unknown version", `/live/${room}/versions/99/restore`, { method: "POST" }, 404],
      ["pinned file of an unknown version", `/live/${room}/v/99/files/index.tsx`, {}, 404],
      ["pinned bundle of an unknown version", `/live/${room}/v/99/index.js`, {}, 404],
      ["pinned session of an unknown version", `/live/${room}/v/99/session.json`, {}, 404],
      ["a file the version does not have", `/live/${room}/v/${n}/files/nope.ts`, {}, 404],
      ["version 0", `/live/${room}/versions/0`, {}, 400],
      ["a version that is not a number", `/live/${room}/versions/latest`, {}, 400],
      ["a negative version", `/live/${room}/versions/-1/restore`, { method: "POST" }, 400],
      ["a pinned path with a bad number", `/live/${room}/v/1e3/index.js`, {}, 400],
      ["a bad file name", `/live/${room}/v/${n}/files/..%2Fsecret`, {}, 400],
      ["versions of a room nobody wrote to", `/live/versions-nobody/versions`, {}, 404],
      ["a body that is not JSON", `/live/${room}/versions`, { method: "POST", body: "{name:" }, 400],
      ["a body that is an array", `/live/${room}/versions`, { method: "POST", body: "[]" }, 400],
      ["a name of 101 characters", `/live/${room}/versions`, { method: "POST", body: JSON.stringify({ name: "x".repeat(101) }) }, 400],
      ["an empty name", `/live/${room}/versions`, { method: "POST", body: JSON.stringify({ name: "  " }) }, 400],
      ["a name with a newline", `/live/${room}/versions`, { method: "POST", body: JSON.stringify({ name: "a\nb" }) }, 400],
      ["an unknown field", `/live/${room}/versions`, { method: "POST", body: JSON.stringify({ name: "a", files: {} }) }, 400],
      ["a body over 4 KB", `/live/${room}/versions`, { method: "POST", body: JSON.stringify({ name: "a" }) + " ".repeat(5000) }, 413],
      ["a bad restore id", `/live/${room}/restores/..%2Fx/undo`, { method: "POST" }, 400],
      ["an unknown restore id", `/live/${room}/restores/000000000-00000000/undo`, { method: "POST" }, 404],
      ["DELETE on versions", `/live/${room}/versions`, { method: "DELETE" }, 405],
    ];
    for (const [what, path, init, status] of cases) {
      const response = await call(path, init);
      const body = await response.text();
      assert.equal(response.status, status, `${what}: ${body}`);
      assert.equal(typeof JSON.parse(body).error, "string", what);
    }
    const { versions } = await json<VersionList>(await call(`/live/${room}/versions`));
    assert.deepEqual(versions.filter((version) => !version.auto).map((version) => version.n), [n], "no refused save stored a version");
    assert.deepEqual(await files(room), { "index.tsx": APP }, "no refused restore changed the room");
  });

  it("a viewer of a read-only room lists and reads versions but may not save or restore them; a stranger to a private room reads nothing", async () => {
    const room = "versions-readonly";
    await put(room, "index.tsx", APP, OWNER);
    const { n } = await save(room, { name: "owner's" }, OWNER);
    const claimed = await call(`/live/${room}/permissions`, { method: "PUT", user: OWNER, body: JSON.stringify({ visibility: "readonly" }) });
    assert.equal(claimed.status, 200, await claimed.text());
    await put(room, "index.tsx", "// changed by the owner\n", OWNER);

    assert.equal((await call(`/live/${room}/versions`, { user: VIEWER })).status, 200);
    assert.equal((await call(`/live/${room}/v/${n}/index.tsx`)).status, 200);
    const restore = await call(`/live/${room}/versions/${n}/restore`, { method: "POST", user: VIEWER });
    assert.equal(restore.status, 403, await restore.text());
    assert.equal((await call(`/live/${room}/versions/${n}/restore`, { method: "POST" })).status, 401);
    assert.equal((await call(`/live/${room}/versions`, { method: "POST", user: VIEWER })).status, 403);
    assert.deepEqual(await files(room), { "index.tsx": "// changed by the owner\n" }, "the viewer changed nothing");

    // The pinned files of a room the caller signed in for are cached privately.
    const pinned = await call(`/live/${room}/v/${n}/index.tsx`, { user: OWNER });
    assert.equal(pinned.headers.get("cache-control"), "private, max-age=31536000, immutable");
    const restored = await json<VersionRestored>(await call(`/live/${room}/versions/${n}/restore`, { method: "POST", user: OWNER }));
    assert.deepEqual(restored.changed, ["index.tsx"]);

    const made = await call(`/live/${room}/permissions`, { method: "PUT", user: OWNER, body: JSON.stringify({ visibility: "private" }) });
    assert.equal(made.status, 200);
    for (const path of [`/live/${room}/versions`, `/live/${room}/versions/${n}`, `/live/${room}/v/${n}/session.json`, `/live/${room}/v/${n}/index.js`]) {
      assert.equal((await call(path)).status, 401, path);
      assert.equal((await call(path, { user: VIEWER })).status, 403, path);
    }
  });
});
