/**
 * An end-to-end encrypted room seen from outside, through the real Worker and CodeRoom under workerd: every typed call that
 * needs its plaintext answers 409 `{"error": "room is end-to-end encrypted", "encrypted": true}` (HTTP and MCP alike) while
 * permissions and agent tokens keep working, no stored byte of the room holds a marker its clients wrote, and the room is
 * still encrypted, with its log, after a restart of the runtime.
 */
import assert from "node:assert/strict";
import { readFile, readdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import * as Y from "yjs";
import { AuthKind, CloseCode, MessageType, SealedKind, encodeSealedAppend, encodeSealedAwareness, encodeSealedFetch, encodeSealedInit, encodeSealedSnapshot } from "../../core/protocol.js";
import { KEY_CHECK_TEXT, generateRoomKey, importRoomKey, open, seal } from "../../core/room-crypto.js";
import { MCP_TOOLS } from "./mcp/tool-names.js";
import { OWNER, as, sharedSigner } from "../../test-support/permissions.js";
import { closeSealed, messagesOf, openSealed, sealedOf, waitSealed } from "../../test-support/sealed.js";
import { startTestWorker, waitUntil, type TestWorker } from "../test-support.js";

afterEach(closeSealed);

const MARKER = "SEALED-MARKER-7f3a9c";
const PLAIN_MARKER = "PLAIN-MARKER-41be02";
const ENCRYPTED_BODY = { error: "room is end-to-end encrypted", encrypted: true };
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const room = "sealed-http";

/** Every file under `dir` whose bytes contain `text`. */
async function filesContaining(dir: string, text: string): Promise<string[]> {
  const needle = Buffer.from(text, "utf8");
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path)).includes(needle)) found.push(path);
  }
  return found;
}

describe("an end-to-end encrypted room from outside", () => {
  let worker: TestWorker;
  let dir: string;
  let key: CryptoKey;
  const vars = async () => ({
    CLERK_JWT_KEY: (await sharedSigner()).publicKeyPem,
    OPENAI_API_KEY: "sk-test",
    OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
    REPLICATE_API_TOKEN: "r8_test",
    REPLICATE_BASE_URL: "http://127.0.0.1:9",
  });
  // Nothing may leave for a provider: the room refuses before any is asked.
  const outbound = () => new Response("no network in this test", { status: 599 });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "spike-sealed-http-"));
    worker = await startTestWorker({ persistDir: dir, vars: await vars(), outbound });
    key = await importRoomKey(await generateRoomKey());
    const socket = await openSealed(worker, room);
    await waitSealed(socket, SealedKind.Mode);
    socket.ws.send(encodeSealedInit(await seal(key, room, "key-check", new TextEncoder().encode(KEY_CHECK_TEXT))));
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on("update", (update: Uint8Array) => updates.push(update));
    doc.getText("index.tsx").insert(0, `// ${MARKER} one\n`);
    doc.getText("index.tsx").insert(0, `// ${MARKER} two\n`);
    for (const update of updates) socket.ws.send(encodeSealedAppend(await seal(key, room, "update", update)));
    await waitSealed(socket, SealedKind.Stored, 2);
    socket.ws.send(encodeSealedSnapshot(1, await seal(key, room, "snapshot", Y.encodeStateAsUpdate(doc))));
    socket.ws.send(encodeSealedAwareness(99, await seal(key, room, "awareness", new TextEncoder().encode(`{"name":"${MARKER}"}`))));
    doc.getText("index.tsx").insert(0, `// ${MARKER} three\n`);
    socket.ws.send(encodeSealedAppend(await seal(key, room, "update", updates.at(-1)!)));
    await waitSealed(socket, SealedKind.Stored, 3);
    // A plaintext room beside it: the same search finds its marker, so finding none above means something.
    const plain = await fetch(new URL(`/live/sealed-http-plain/files/index.tsx`, worker.url), { method: "PUT", body: `// ${PLAIN_MARKER}\n` });
    assert.equal(plain.status, 200);
  });
  after(async () => {
    await worker?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("every call that needs the plaintext answers 409 encrypted: true", async () => {
    const calls: [string, string, BodyInit?][] = [
      ["GET", "session.json"],
      ["GET", "index.tsx"],
      ["GET", "index.js"],
      ["GET", "files/index.tsx"],
      ["PUT", "files/index.tsx", "// overwrite\n"],
      ["GET", "screenshot.png"],
      ["GET", "page.pdf"],
      ["GET", "og.png"],
      ["GET", "chat"],
      ["POST", "chat", JSON.stringify({ question: "what does this do?" })],
      ["DELETE", "chat"],
      ["POST", "chat/m1700000000000-abcdef/cancel"],
      ["POST", "chat/m1700000000000-abcdef/undo"],
      ["POST", "versions", "{}"],
      ["GET", "versions"],
      ["GET", "versions/1"],
      ["GET", "v/1/session.json"],
      ["GET", "v/1/index.tsx"],
      ["POST", "versions/1/restore"],
      ["POST", "fork", "{}"],
      ["GET", "assets"],
      ["PUT", "assets/logo.png", PNG],
      ["GET", "assets/logo.png"],
      ["DELETE", "assets/logo.png"],
      ["POST", "assets/generate", JSON.stringify({ prompt: "a cat" })],
      ["GET", "console?since=0"],
      ["POST", "console", JSON.stringify({ entries: [{ level: "log", text: MARKER, time: 1 }] })],
      ["DELETE", "console"],
    ];
    const wrong: string[] = [];
    for (const [method, path, body] of calls) {
      const response = await as(worker, OWNER, `/live/${room}/${path}`, { method, ...(body ? { body } : {}) });
      const json = (await response.json().catch(() => null)) as Record<string, unknown> | null;
      if (response.status !== 409 || json?.error !== ENCRYPTED_BODY.error || json?.encrypted !== true) {
        wrong.push(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it("permissions and agent tokens keep working", async () => {
    const permissions = await as(worker, OWNER, `/live/${room}/permissions`);
    assert.equal(permissions.status, 200);
    assert.equal(((await permissions.json()) as { room: string }).room, room);
    const created = await as(worker, OWNER, `/live/${room}/agent-tokens`, { method: "POST", body: JSON.stringify({ scope: "edit", name: "bot" }) });
    assert.equal(created.status, 201, await created.clone().text());
    assert.equal((await as(worker, OWNER, `/live/${room}/agent-tokens`)).status, 200);
  });

  it("MCP tools on the room answer the 409 as a tool error", async () => {
    const token = await (await sharedSigner()).sign({ sub: OWNER });
    const transport = new StreamableHTTPClientTransport(new URL("/mcp", worker.url), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
    const client = new Client({ name: "sealed-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      const args: Record<string, Record<string, unknown>> = {
        list_files: { room },
        read_file: { room, name: "index.tsx" },
        get_session: { room },
        get_build_errors: { room },
        write_file: { room, name: "index.tsx", text: "x" },
        edit_file: { room, name: "index.tsx", search: "a", replace: "b" },
        delete_file: { room, name: "index.tsx" },
      };
      const wrong: string[] = [];
      for (const [name, input] of Object.entries(args)) {
        assert.ok((MCP_TOOLS as readonly string[]).includes(name), name);
        const result = (await client.callTool({ name, arguments: input })) as CallToolResult;
        const text = result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
        if (!result.isError || !text.includes("409") || !text.includes("room is end-to-end encrypted")) wrong.push(`${name}: ${text.slice(0, 200)}`);
      }
      assert.deepEqual(wrong, []);
    } finally {
      await client.close();
    }
  });

  it("no stored byte holds the plaintext; the room stays encrypted, with its log, across a restart", async () => {
    await worker.dispose();
    assert.deepEqual(await filesContaining(dir, MARKER), [], "the marker is nowhere in the room's storage");
    assert.notDeepEqual(await filesContaining(dir, PLAIN_MARKER), [], "the search finds a plaintext room's marker");

    worker = await startTestWorker({ persistDir: dir, vars: await vars(), outbound });
    const plain = await openSealed(worker, room, { e2e: false });
    assert.equal((await plain.closed).code, CloseCode.Encrypted);
    const e2e = await openSealed(worker, room);
    const [mode] = await waitSealed(e2e, SealedKind.Mode);
    assert.equal(mode!.encrypted, true);
    assert.equal(new TextDecoder().decode(await open(key, room, "key-check", mode!.keyCheck)), KEY_CHECK_TEXT);
    e2e.ws.send(encodeSealedFetch(0));
    const [caughtUp] = await waitSealed(e2e, SealedKind.CaughtUp);
    assert.equal(caughtUp!.seq, 3);
    const doc = new Y.Doc();
    const [snapshot] = sealedOf(e2e, SealedKind.Snapshot);
    assert.equal(snapshot!.upTo, 1);
    Y.applyUpdate(doc, await open(key, room, "snapshot", snapshot!.sealed));
    assert.deepEqual(sealedOf(e2e, SealedKind.Appended).map((e) => e.seq), [2, 3]);
    for (const entry of sealedOf(e2e, SealedKind.Appended)) Y.applyUpdate(doc, await open(key, room, "update", entry.sealed));
    assert.match(doc.getText("index.tsx").toString(), new RegExp(`${MARKER} two\\n.*${MARKER} one`, "s"));
    assert.equal((await fetch(new URL(`/live/${room}/session.json`, worker.url))).status, 409);
    // An Init after the restart is still ignored.
    e2e.ws.send(encodeSealedInit(new Uint8Array(40)));
    const again = await openSealed(worker, room);
    await waitSealed(again, SealedKind.Mode);
    assert.deepEqual(sealedOf(again, SealedKind.Mode)[0]!.keyCheck, mode!.keyCheck);
    await waitUntil(() => e2e.ws.readyState === e2e.ws.OPEN);
    assert.equal(messagesOf(e2e).filter((m) => m.type === MessageType.Auth && m.kind === AuthKind.Claim).length, 0);
  });
});
