/**
 * AI agents in a room through the real Worker and CodeRoom in workerd (workers/test-agents/ adds a route that makes the
 * room's agent calls, as the MCP endpoint does): writes, edits and deletes arrive in a stock y-websocket client's doc, each
 * recorded as an "agent" chat message that the chat's undo route takes back; a person typing at the same time keeps their
 * text; a refused change (missing search text, unknown file, bad name) changes nothing; the agent's presence reaches
 * stock clients (those there and those joining), moves its cursor to its edit, is announced gone after
 * AGENT_PRESENCE_SECONDS, and is still in the greeting of a room object that restarted in between.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import * as Y from "yjs";
import type { AgentChanged, ChatList, ChatUndone } from "../../core/api.js";
import { filesOf } from "../../core/project.js";
import type { AgentChange } from "./room-api.js";
import { closeOpened, joinRoom, startTestWorker, waitForConvergence, waitUntil, type TestWorker } from "../test-support.js";
import { createTestSigner, type TestSigner } from "../test-tokens.js";

let worker: TestWorker;
let signer: TestSigner;
const AGENT = { key: "token:test-agent", name: "Claude (MCP)" };

before(async () => {
  signer = await createTestSigner();
  worker = await startTestWorker({
    entrypoint: "workers/test-agents/index.ts",
    vars: { AGENT_PRESENCE_SECONDS: "2", CLERK_JWT_KEY: signer.publicKeyPem },
  });
});
after(() => worker?.dispose());
afterEach(closeOpened);

interface Answer<T> {
  status: number;
  value?: T;
  error?: string;
}

async function agentCall<T>(room: string, body: Record<string, unknown>): Promise<Answer<T>> {
  const response = await fetch(new URL(`/api/test-agent/${room}`, worker.url), { method: "POST", body: JSON.stringify(body) });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as Answer<T>;
}

async function change(room: string, what: AgentChange, agent = AGENT, userId?: string): Promise<Answer<AgentChanged>> {
  return agentCall<AgentChanged>(room, { op: "change", agent, change: what, ...(userId ? { userId } : {}) });
}

async function ok(room: string, what: AgentChange): Promise<AgentChanged> {
  const answer = await change(room, what);
  assert.equal(answer.status, 200, answer.error);
  return answer.value!;
}

async function get<T>(path: string): Promise<T> {
  const response = await fetch(new URL(path, worker.url));
  const text = await response.text();
  assert.equal(response.status, 200, text);
  return JSON.parse(text) as T;
}

async function undo(room: string, id: string): Promise<ChatUndone> {
  const response = await fetch(new URL(`/live/${room}/chat/${id}/undo`, worker.url), { method: "POST" });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  return JSON.parse(text) as ChatUndone;
}

const APP = 'export default function App() {\n  return <h1>Hello</h1>;\n}\n';

describe("agent changes", () => {
  it("writes, edits and deletes files live, each an agent chat message that undo takes back", async () => {
    const room = "agents-edit";
    const created = await ok(room, { kind: "write", file: "index.tsx", text: APP });
    assert.deepEqual({ ...created, message: "" }, { file: "index.tsx", message: "", created: true });
    const bob = joinRoom(worker, room);
    await bob.synced();
    assert.equal(bob.files()["index.tsx"], APP);

    const edited = await ok(room, { kind: "edit", file: "index.tsx", search: "<h1>Hello</h1>", replace: "<h1>Hello, agents</h1>" });
    await waitUntil(() => bob.files()["index.tsx"]?.includes("Hello, agents") ?? false, { what: "the edit in bob's doc" });
    const { messages } = await get<ChatList>(`/live/${room}/chat`);
    const message = messages.find((m) => m.id === edited.message)!;
    assert.equal(message.role, "agent");
    assert.equal(message.author, "Claude (MCP)");
    assert.equal(message.text, "changed index.tsx");
    assert.equal(message.edits?.length, 1);

    await ok(room, { kind: "write", file: "styles.css", text: "h1 { color: red; }\n" });
    const deleted = await ok(room, { kind: "delete", file: "styles.css" });
    assert.equal(deleted.deleted, true);
    await waitUntil(() => !("styles.css" in bob.files()), { what: "the delete in bob's doc" });

    // Undo brings the deleted file back, and the edit's old text.
    assert.deepEqual(await undo(room, deleted.message), { undone: ["styles.css"], conflicts: [] });
    assert.deepEqual(await undo(room, edited.message), { undone: ["index.tsx"], conflicts: [] });
    await waitUntil(() => bob.files()["index.tsx"] === APP && bob.files()["styles.css"] === "h1 { color: red; }\n", {
      what: "both undone in bob's doc",
    });
    // A second undo has nothing left to do.
    assert.deepEqual(await undo(room, edited.message), { undone: [], conflicts: [] });
  });

  it("keeps the text of a person typing in the same file at the same time", async () => {
    const room = "agents-concurrent";
    await ok(room, { kind: "write", file: "index.tsx", text: APP });
    const typist = joinRoom(worker, room);
    await typist.synced();
    // The typist types while the agent's edit is on its way: neither has seen the other's change.
    typist.provider.disconnect();
    const text = filesOf(typist.doc).get("index.tsx") as Y.Text;
    text.insert(0, "// typed by a person\n");
    text.insert(text.length, "// and at the end\n");
    await ok(room, { kind: "edit", file: "index.tsx", search: "<h1>Hello</h1>", replace: "<h1>Hello from the agent</h1>" });
    typist.provider.connect();
    const reader = joinRoom(worker, room);
    const files = await waitForConvergence([typist, reader]);
    assert.equal(
      files["index.tsx"],
      "// typed by a person\n" + APP.replace("<h1>Hello</h1>", "<h1>Hello from the agent</h1>") + "// and at the end\n",
    );
  });

  it("refuses a missing search text, an unknown file, an empty search or a bad name, and changes nothing", async () => {
    const room = "agents-refused";
    await ok(room, { kind: "write", file: "index.tsx", text: APP });
    const session = await get<unknown>(`/live/${room}/session.json`);
    const chat = await get<ChatList>(`/live/${room}/chat`);

    const missing = await change(room, { kind: "edit", file: "index.tsx", search: "<h2>Nowhere</h2>", replace: "x" });
    assert.deepEqual(missing, { status: 409, error: "search text not found in index.tsx" });
    assert.equal((await change(room, { kind: "edit", file: "other.tsx", search: "a", replace: "b" })).status, 404);
    assert.equal((await change(room, { kind: "delete", file: "other.tsx" })).status, 404);
    assert.equal((await change(room, { kind: "edit", file: "index.tsx", search: "  \n", replace: "b" })).status, 400);
    const traversal = await change(room, { kind: "write", file: "../secret.tsx", text: "x" });
    assert.deepEqual(traversal, { status: 400, error: '"../secret.tsx" is not a valid file name' });
    assert.equal((await change(room, { kind: "write", file: "a.tsx", text: "x" }, { key: "token:x", name: "" })).status, 400);
    assert.equal((await change("agents-never-written", { kind: "edit", file: "index.tsx", search: "a", replace: "b" })).status, 404);

    assert.deepEqual(await get<unknown>(`/live/${room}/session.json`), session);
    assert.deepEqual(await get<ChatList>(`/live/${room}/chat`), chat);
  });
});

describe("agent permissions", () => {
  it("a change needs the right to edit and presence the right to read, as over HTTP", async () => {
    const room = "agents-readonly";
    const owner = "user_owner";
    assert.equal((await change(room, { kind: "write", file: "index.tsx", text: APP }, AGENT, owner)).status, 200);
    const claimed = await fetch(new URL(`/live/${room}/permissions`, worker.url), {
      method: "PUT",
      headers: { authorization: `Bearer ${await signer.sign({ sub: owner })}` },
      body: JSON.stringify({ visibility: "readonly" }),
    });
    assert.equal(claimed.status, 200, await claimed.text());
    const edit: AgentChange = { kind: "edit", file: "index.tsx", search: "Hello", replace: "Bye" };
    assert.equal((await change(room, edit, AGENT, "user_viewer")).status, 403);
    assert.equal((await change(room, edit)).status, 401);
    assert.equal((await change(room, { kind: "delete", file: "index.tsx" }, AGENT, "user_viewer")).status, 403);
    assert.equal((await agentCall(room, { op: "presence", agent: AGENT, userId: "user_viewer" })).status, 200);
    assert.equal((await get<{ files: Record<string, string> }>(`/live/${room}/session.json`)).files["index.tsx"], APP);
    assert.equal((await change(room, edit, AGENT, owner)).status, 200);
  });
});

describe("agent presence", () => {
  it("shows the agent to stock clients there and joining, with its cursor at its edit, then announces it gone", async () => {
    const room = "agents-presence";
    await ok(room, { kind: "write", file: "index.tsx", text: APP });
    const ada = joinRoom(worker, room);
    await ada.synced();
    const agentOf = (client: typeof ada) =>
      [...client.provider.awareness.getStates().values()].find((state) => state["agent"] === true) as
        | { user: { name: string; color: string }; file?: string; selection: { anchor: Y.RelativePosition } | null }
        | undefined;

    assert.deepEqual(await agentCall(room, { op: "presence", agent: AGENT, file: "index.tsx" }), { status: 200, value: { present: true } });
    await waitUntil(() => agentOf(ada)?.user.name === "Claude (MCP)", { what: "the agent in ada's awareness" });
    assert.match(agentOf(ada)!.user.color, /^#[0-9a-f]{6}$/);

    await ok(room, { kind: "edit", file: "index.tsx", search: "Hello", replace: "Hello there" });
    await waitUntil(() => agentOf(ada)?.selection != null, { what: "the agent's cursor" });
    const caret = Y.createAbsolutePositionFromRelativePosition(agentOf(ada)!.selection!.anchor, ada.doc);
    const text = filesOf(ada.doc).get("index.tsx")!;
    assert.equal(caret?.type, text);
    assert.equal(text.toString().slice(0, caret!.index).endsWith("Hello there"), true);

    // A socket that joins later gets the agent in its greeting.
    const bob = joinRoom(worker, room);
    await bob.synced();
    await waitUntil(() => agentOf(bob)?.user.name === "Claude (MCP)", { what: "the agent in bob's greeting" });

    // AGENT_PRESENCE_SECONDS (2 here) after its last call, the room announces it gone.
    await waitUntil(() => agentOf(ada) === undefined && agentOf(bob) === undefined, { timeoutMs: 20_000, what: "the agent to leave" });
  });

  it("stores nothing in a room nobody wrote to yet, and needs a valid file name", async () => {
    assert.equal((await agentCall("agents-nowhere", { op: "presence", agent: AGENT, file: "index.tsx" })).status, 200);
    assert.equal((await fetch(new URL("/live/agents-nowhere/files/index.tsx", worker.url))).status, 404);
    assert.equal((await fetch(new URL("/live/agents-nowhere/permissions", worker.url))).status, 404);
    await ok("agents-presence-bad", { kind: "write", file: "index.tsx", text: APP });
    assert.equal((await agentCall("agents-presence-bad", { op: "presence", agent: AGENT, file: "../x" })).status, 400);
  });
});

describe("agent presence across a restart", () => {
  it("is kept in the room's storage, so a restarted room still greets sockets with it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "spike-agents-test-"));
    // Long enough that the entry is still due when the second Worker starts; its expiry is tested above.
    const vars = { AGENT_PRESENCE_SECONDS: "3600" };
    let first: TestWorker | undefined = await startTestWorker({ entrypoint: "workers/test-agents/index.ts", vars, persistDir: dir });
    let second: TestWorker | undefined;
    try {
      const room = "agents-restart";
      const post = (target: TestWorker, body: unknown) =>
        fetch(new URL(`/api/test-agent/${room}`, target.url), { method: "POST", body: JSON.stringify(body) }).then((r) => r.json());
      const write = { op: "change", agent: AGENT, change: { kind: "write", file: "index.tsx", text: APP } };
      assert.equal(((await post(first, write)) as Answer<unknown>).status, 200);
      await first.dispose();
      first = undefined;

      second = await startTestWorker({ entrypoint: "workers/test-agents/index.ts", vars, persistDir: dir });
      const ada = joinRoom(second, room);
      await ada.synced();
      await waitUntil(
        () => [...ada.provider.awareness.getStates().values()].some((state) => state["agent"] === true && state["user"]?.name === "Claude (MCP)"),
        { what: "the agent in the restarted room's greeting" },
      );
    } finally {
      closeOpened();
      await first?.dispose();
      await second?.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
