/**
 * The preview console log (`/live/<room>/console`) and the build errors of a room's project (build-diagnostics.ts), through
 * the real Worker, CodeRoom and transpiler Worker in workerd: post and read with `since`, the bound of 200 entries and 2 KB
 * of text, bad bodies and queries refused with nothing kept, who may post, read and clear, the log
 * read back after a restart, and the diagnostics of a broken file.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ApiError, type ApiErrorBody, type ConsoleAppended, type ConsoleCleared, type ConsoleLog } from "../../core/api.js";
import type { BuildError } from "../../core/build/types.js";
import { RoomHttp } from "../../core/room-http.js";
import { startTestWorker, type TestWorker } from "../test-support.js";
import { createTestSigner, type TestSigner } from "../test-tokens.js";

let worker: TestWorker;
let signer: TestSigner;
let persistDir: string;
const OWNER = "user_owner";
const VIEWER = "user_viewer";

before(async () => {
  signer = await createTestSigner();
  persistDir = await mkdtemp(join(tmpdir(), "spike-console-"));
  worker = await start();
});
after(async () => {
  await worker?.dispose();
  await rm(persistDir, { recursive: true, force: true });
});

/** The main Worker plus one test-only route that calls buildErrors (workers/test-build-errors/index.ts), on disk. */
function start(): Promise<TestWorker> {
  return startTestWorker({ transpiler: true, persistDir, entrypoint: "workers/test-build-errors/index.ts", vars: { CLERK_JWT_KEY: signer.publicKeyPem } });
}

async function call(path: string, init: RequestInit & { user?: string } = {}): Promise<Response> {
  const { user, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (user) headers.set("authorization", `Bearer ${await signer.sign({ sub: user })}`);
  return fetch(new URL(path, worker.url), { signal: AbortSignal.timeout(60_000), ...rest, headers });
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

function post(room: string, body: unknown, user?: string): Promise<Response> {
  return call(`/live/${room}/console`, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), ...(user ? { user } : {}) });
}

const read = async (room: string, query = "", user?: string) => json<ConsoleLog>(await call(`/live/${room}/console${query}`, user ? { user } : {}));

const APP = "export default function App() {\n  return <h1>Hello</h1>;\n}\n";

describe("the preview console", () => {
  it("keeps posted entries in order with the room's strictly increasing time, reads them since a time, and clears them", async () => {
    const room = "console-basic";
    await put(room, "index.tsx", APP);
    const before = Date.now();
    const first = await json<ConsoleAppended>(
      await post(room, { entries: [{ level: "log", text: "x", time: 1 }, { level: "error", text: "Error: boom\n    at App (index.tsx:2:9)", time: 2 }] }),
    );
    assert.equal(first.appended, 2);
    const second = await json<ConsoleAppended>(await post(room, { entries: [{ level: "warn", text: "careful" }, { level: "info", text: "fyi", time: 5 }] }));

    const log = await read(room);
    assert.deepEqual(log.entries.map(({ level, text }) => [level, text]), [
      ["log", "x"],
      ["error", "Error: boom\n    at App (index.tsx:2:9)"],
      ["warn", "careful"],
      ["info", "fyi"],
    ]);
    assert.equal(log.dropped, 0);
    const times = log.entries.map((entry) => entry.time);
    for (let i = 1; i < times.length; i++) assert.ok(times[i]! > times[i - 1]!, `times increase: ${times.join(", ")}`);
    assert.ok(times[0]! >= before - 1000, "stamped with the room's clock, not the posted time");
    assert.equal(first.time, times[1]);
    assert.equal(second.time, times[3]);

    // `since` the first batch's newest time: only the second batch.
    assert.deepEqual((await read(room, `?since=${first.time}`)).entries.map((entry) => entry.text), ["careful", "fyi"]);
    assert.deepEqual((await read(room, `?since=${second.time}`)).entries, []);

    assert.deepEqual(await json<ConsoleCleared>(await call(`/live/${room}/console`, { method: "DELETE" })), { cleared: 4 });
    assert.deepEqual(await read(room), { entries: [], dropped: 0 });
  });

  it("keeps the newest 200 entries, counts the ones let go, and cuts text over 2048 characters", async () => {
    const room = "console-bounds";
    await put(room, "index.tsx", APP);
    for (let batch = 0; batch < 3; batch++) {
      const entries = Array.from({ length: 100 }, (_, i) => ({ level: "log", text: `line ${batch * 100 + i}`, time: 0 }));
      await json<ConsoleAppended>(await post(room, { entries }));
    }
    const log = await read(room);
    assert.equal(log.entries.length, 200);
    assert.equal(log.entries[0]!.text, "line 100");
    assert.equal(log.entries.at(-1)!.text, "line 299");
    assert.equal(log.dropped, 100);

    const long = "y".repeat(5000);
    await json<ConsoleAppended>(await post(room, { entries: [{ level: "error", text: long, time: 0 }] }));
    const kept = (await read(room)).entries.at(-1)!.text;
    assert.ok(kept.length <= 2048, `kept ${kept.length} characters`);
    assert.match(kept, /^y+… \(\d+ more characters\)$/);
    assert.equal(Number(/\((\d+) more/.exec(kept)![1]) + kept.indexOf("…"), 5000, "the cut says how much was cut");
    const after = await read(room);
    assert.equal(after.entries.length, 200);
    assert.equal(after.dropped, 101);
  });

  it("refuses bad bodies, bad queries and other methods with a clear 4xx, and keeps nothing from them", async () => {
    const room = "console-bad";
    await put(room, "index.tsx", APP);
    const bad: [unknown, RegExp][] = [
      ["not json", /must be JSON/],
      [[], /JSON object with an array/],
      [{ entries: "x" }, /JSON object with an array/],
      [{ entries: [] }, /entries is empty/],
      [{ entries: Array.from({ length: 101 }, () => ({ level: "log", text: "x" })) }, /at most 100 entries/],
      [{ entries: [{ level: "debug", text: "x" }] }, /level must be one of log, info, warn, error/],
      [{ entries: [{ level: "log", text: 42 }] }, /text must be a string/],
      [{ entries: [{ level: "log", text: "ok" }, null] }, /entries\[1\] must be an object/],
      [{ entries: [{ level: "log", text: "x", time: "now" }] }, /time must be a number/],
    ];
    for (const [body, message] of bad) {
      const refused = await json<ApiErrorBody>(await post(room, body), 400);
      assert.match(refused.error, message, JSON.stringify(body).slice(0, 80));
    }
    const huge = await post(room, { entries: [{ level: "log", text: "z".repeat(70_000) }] });
    assert.equal(huge.status, 413, await huge.text());
    for (const query of ["?since=-1", "?since=abc", "?since=Infinity"]) {
      assert.match((await json<ApiErrorBody>(await call(`/live/${room}/console${query}`), 400)).error, /since must be/);
    }
    assert.equal((await call(`/live/${room}/console`, { method: "PUT", body: "{}" })).status, 405);
    assert.deepEqual(await read(room), { entries: [], dropped: 0 }, "nothing was kept from a refused request");

    // A room nobody wrote to has no console, and a post does not create it.
    const none = "console-nobody-wrote";
    assert.equal((await post(none, { entries: [{ level: "log", text: "x" }] })).status, 404);
    assert.equal((await call(`/live/${none}/console`)).status, 404);
    assert.equal((await json<{ version: number }>(await call(`/live/${none}/session.json`))).version, 0);
  });

  it("lets readers post and read, only editors clear, and a private room's strangers nothing", async () => {
    const room = "console-permissions";
    await put(room, "index.tsx", APP, OWNER);
    const claimed = await call(`/live/${room}/permissions`, { method: "PUT", user: OWNER, body: JSON.stringify({ visibility: "readonly" }) });
    assert.equal(claimed.status, 200, await claimed.text());
    // A viewer's preview runs the app too: it reports, and reads.
    await json<ConsoleAppended>(await post(room, { entries: [{ level: "log", text: "from a viewer" }] }, VIEWER));
    await json<ConsoleAppended>(await post(room, { entries: [{ level: "log", text: "from anyone" }] }));
    assert.deepEqual((await read(room, "", VIEWER)).entries.map((entry) => entry.text), ["from a viewer", "from anyone"]);
    assert.equal((await call(`/live/${room}/console`, { method: "DELETE", user: VIEWER })).status, 403);
    assert.equal((await call(`/live/${room}/console`, { method: "DELETE" })).status, 401);
    assert.equal((await read(room)).entries.length, 2, "a refused clear cleared nothing");

    const made = await call(`/live/${room}/permissions`, { method: "PUT", user: OWNER, body: JSON.stringify({ visibility: "private" }) });
    assert.equal(made.status, 200);
    assert.equal((await call(`/live/${room}/console`)).status, 401);
    assert.equal((await call(`/live/${room}/console`, { user: VIEWER })).status, 403);
    assert.equal((await post(room, { entries: [{ level: "log", text: "stranger" }] }, VIEWER)).status, 403);
    assert.equal((await post(room, { entries: [{ level: "log", text: "anonymous" }] })).status, 401);
    assert.deepEqual((await read(room, "", OWNER)).entries.map((entry) => entry.text), ["from a viewer", "from anyone"]);
    assert.deepEqual(await json<ConsoleCleared>(await call(`/live/${room}/console`, { method: "DELETE", user: OWNER })), { cleared: 2 });
  });
});

describe("client.http's console calls", () => {
  it("append, read since a time and clear through RoomHttp; a refusal is an ApiError with its status", async () => {
    const room = "console-room-http";
    await put(room, "index.tsx", APP, OWNER);
    const owner = new RoomHttp({ server: worker.url.origin, room, token: () => signer.sign({ sub: OWNER }) });
    const first = await owner.appendConsole([{ level: "log", text: "one" }]);
    await owner.appendConsole([{ level: "error", text: "two", time: 123 }]);
    assert.deepEqual((await owner.consoleLog()).entries.map((entry) => entry.text), ["one", "two"]);
    assert.deepEqual((await owner.consoleLog(first.time)).entries.map((entry) => entry.text), ["two"]);
    const made = await call(`/live/${room}/permissions`, { method: "PUT", user: OWNER, body: JSON.stringify({ visibility: "readonly" }) });
    assert.equal(made.status, 200, await made.text());
    const viewer = new RoomHttp({ server: worker.url.origin, room, token: () => signer.sign({ sub: VIEWER }) });
    await assert.rejects(viewer.clearConsole(), (error: unknown) => error instanceof ApiError && error.status === 403);
    assert.equal(await owner.clearConsole(), 2);
  });
});

describe("build errors", () => {
  it("are empty for a project that builds, and name the file, line and message of a broken one", async () => {
    const room = "console-build";
    await put(room, "index.tsx", 'import { greet } from "./greet";\nexport default function App() {\n  return <h1>{greet()}</h1>;\n}\n', OWNER);
    await put(room, "greet.ts", 'export const greet = () => "hi";\n', OWNER);
    assert.deepEqual(await json<BuildError[]>(await call(`/api/test-build-errors/${room}`)), []);

    await put(room, "greet.ts", 'export const greet = () => "hi";\nexport const oops = (;\n', OWNER);
    const errors = await json<BuildError[]>(await call(`/api/test-build-errors/${room}`));
    assert.ok(errors.length >= 1, JSON.stringify(errors));
    assert.equal(errors[0]!.file, "greet.ts");
    assert.equal(errors[0]!.line, 2);
    assert.ok(errors[0]!.message.length > 0);

    assert.equal((await call(`/api/test-build-errors/console-build-nothing`)).status, 404);
    const claimed = await call(`/live/${room}/permissions`, { method: "PUT", user: OWNER, body: JSON.stringify({ visibility: "private" }) });
    assert.equal(claimed.status, 200, await claimed.text());
    assert.equal((await call(`/api/test-build-errors/${room}`, { user: VIEWER })).status, 403);
    assert.equal((await call(`/api/test-build-errors/${room}`, { user: OWNER })).status, 200);
  });
});

describe("after a restart", () => {
  it("the log, its times and its count of dropped entries are read back from the room's SQLite", async () => {
    const room = "console-restart";
    await put(room, "index.tsx", APP);
    for (let batch = 0; batch < 3; batch++) {
      await json<ConsoleAppended>(await post(room, { entries: Array.from({ length: 100 }, (_, i) => ({ level: "info", text: `${batch * 100 + i}` })) }));
    }
    const before = await read(room);
    assert.equal(before.dropped, 100);
    await worker.dispose();
    worker = await start();
    const after = await read(room);
    assert.deepEqual(after, before);
    const appended = await json<ConsoleAppended>(await post(room, { entries: [{ level: "log", text: "after the restart" }] }));
    assert.ok(appended.time > before.entries.at(-1)!.time, "times keep increasing");
    const latest = await read(room);
    assert.equal(latest.entries.length, 200);
    assert.equal(latest.entries[0]!.text, "101");
    assert.equal(latest.dropped, 101);
  });
});
