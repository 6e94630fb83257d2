/**
 * `POST /mcp` through the real Worker, CodeRoom and transpiler in workerd, driven by the MCP SDK's own Client over
 * Streamable HTTP: the tools are listed, an agent edits a room that a stock y-websocket client is in (which sees the edit
 * and the agent's awareness entry), a typist and edit_file both keep their text, agent tokens are scoped to their room and
 * their scope, and bad input gets a JSON-RPC error or a tool error with the room unchanged.
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, afterEach, before, describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { AgentTokenCreated } from "../../core/api.js";
import { fileText } from "../../core/project.js";
import { closeOpened, fetchSession, joinRoom, startTestWorker, uniqueRooms, waitForConvergence, waitUntil, type TestWorker } from "../test-support.js";
import { createTestSigner, type TestSigner } from "../test-tokens.js";
import { MCP_TOOLS } from "./mcp/tool-names.js";

let worker: TestWorker;
let signer: TestSigner;
const nextRoom = uniqueRooms("mcp");
const APP = 'export default function App() {\n  return <h1>Hello</h1>;\n}\n';
const clients: Client[] = [];

before(async () => {
  signer = await createTestSigner();
  worker = await startTestWorker({ transpiler: true, vars: { CLERK_JWT_KEY: signer.publicKeyPem, ROOM_MAX_FRAME_BYTES: "500000", RATE_LIMIT_COMPUTE_PER_MINUTE: "3" } });
});
after(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await worker?.dispose();
});
afterEach(closeOpened);

/** The SDK's client on `/mcp` with `token` as its bearer token. */
async function connect(token: string, agentName?: string): Promise<Client> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (agentName) headers["x-spike-agent-name"] = agentName;
  const transport = new StreamableHTTPClientTransport(new URL("/mcp", worker.url), { requestInit: { headers } });
  const client = new Client({ name: "spike-test", version: "1.0.0" });
  await client.connect(transport);
  clients.push(client);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === "text" ? part.text : `[${part.type}]`)).join("\n");
}

async function put(room: string, name: string, text: string): Promise<void> {
  const response = await fetch(new URL(`/live/${room}/files/${name}`, worker.url), { method: "PUT", body: text });
  assert.equal(response.status, 200, await response.text());
}

/** A raw JSON-RPC POST to /mcp. */
async function rawPost(body: string, token: string | null, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(new URL("/mcp", worker.url), {
    method: "POST",
    body,
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
}

/** A raw JSON-RPC POST to /mcp from the loopback address `from` (node:http: fetch cannot choose its source address). */
function postFrom(from: string, message: unknown, token: string): Promise<{ status: number; json: any }> {
  const body = Buffer.from(JSON.stringify(message));
  return new Promise((resolve, reject) => {
    const req = request({
      host: worker.url.hostname,
      port: worker.url.port,
      path: "/mcp",
      method: "POST",
      localAddress: from,
      agent: false,
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        authorization: `Bearer ${token}`,
        "content-length": String(body.byteLength),
      },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) }));
    });
    req.end(body);
  });
}

async function userToken(sub = "user_mcp"): Promise<string> {
  return signer.sign({ sub });
}

describe("/mcp", () => {
  it("lists every tool, edits a file a stock y-websocket client sees arrive, with the agent's named awareness entry", async () => {
    const room = nextRoom();
    await put(room, "index.tsx", APP);
    const watcher = joinRoom(worker, room);
    await watcher.synced();
    const client = await connect(await userToken(), "Claude");
    const tools = await client.listTools();
    assert.deepEqual(tools.tools.map((tool) => tool.name).sort(), [...MCP_TOOLS].sort());

    const listed = await call(client, "list_files", { room });
    assert.ok(!listed.isError, textOf(listed));
    assert.deepEqual((listed.structuredContent as { files: { name: string }[] }).files.map((file) => file.name), ["index.tsx"]);
    const read = await call(client, "read_file", { room, name: "index.tsx" });
    assert.equal(textOf(read), APP);

    const edited = await call(client, "edit_file", { room, name: "index.tsx", search: "Hello", replace: "Hello from an agent" });
    assert.ok(!edited.isError, textOf(edited));
    assert.match(textOf(edited), /\/chat\/[^/]+\/undo/);
    await waitUntil(() => watcher.files()["index.tsx"]?.includes("Hello from an agent") === true, { what: "the edit to reach the watcher" });
    await waitUntil(
      () => [...watcher.provider.awareness.getStates().values()].some((state) => state["agent"] === true && (state["user"] as { name?: string })?.name === "Claude (MCP)"),
      { what: "the agent's awareness entry" },
    );

    const session = await call(client, "get_session", { room });
    assert.equal((session.structuredContent as { files: Record<string, string> }).files["index.tsx"], APP.replace("Hello", "Hello from an agent"));
    const build = await call(client, "get_build_errors", { room });
    assert.deepEqual((build.structuredContent as { errors: unknown[] }).errors, [], textOf(build));

    const written = await call(client, "write_file", { room, name: "lib/util.ts", text: "export const x = 1;\n" });
    assert.ok(!written.isError, textOf(written));
    await waitUntil(() => watcher.files()["lib/util.ts"] === "export const x = 1;\n", { what: "the new file" });
    const deleted = await call(client, "delete_file", { room, name: "lib/util.ts" });
    assert.ok(!deleted.isError, textOf(deleted));
    await waitUntil(() => !("lib/util.ts" in watcher.files()), { what: "the deletion" });

    const resource = await client.readResource({ uri: `spike://room/${room}/files/index.tsx` });
    assert.match((resource.contents[0] as { text: string }).text, /Hello from an agent/);
    const prompt = await client.getPrompt({ name: "spike_project", arguments: { room } });
    assert.match((prompt.messages[0]!.content as { text: string }).text, /Files: index\.tsx/);
  });

  it("reads the preview's console, lists and restores versions, forks the room, and its changes undo from the chat", async () => {
    const room = nextRoom();
    await put(room, "index.tsx", APP);
    const client = await connect(await userToken());
    const posted = await fetch(new URL(`/live/${room}/console`, worker.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ entries: [{ level: "error", text: "TypeError: boom" }] }),
    });
    assert.equal(posted.status, 200, await posted.text());
    const log = await call(client, "get_console", { room });
    assert.deepEqual((log.structuredContent as { entries: { level: string; text: string }[] }).entries.map(({ level, text }) => ({ level, text })), [
      { level: "error", text: "TypeError: boom" },
    ]);

    const saved = await fetch(new URL(`/live/${room}/versions`, worker.url), { method: "POST", body: JSON.stringify({ name: "first" }) });
    assert.equal(saved.status, 201, await saved.text());
    const edited = await call(client, "edit_file", { room, name: "index.tsx", search: "Hello", replace: "Changed" });
    const { message } = edited.structuredContent as { message: string };
    const versions = await call(client, "list_versions", { room });
    assert.deepEqual((versions.structuredContent as { versions: { n: number; name: string }[] }).versions.map(({ n, name }) => ({ n, name })), [{ n: 1, name: "first" }]);
    const restored = await call(client, "restore_version", { room, n: 1 });
    assert.deepEqual((restored.structuredContent as { changed: string[] }).changed, ["index.tsx"], textOf(restored));
    assert.equal((await fetchSession(worker, room)).files["index.tsx"], APP);
    const missing = await call(client, "restore_version", { room, n: 7 });
    assert.equal(missing.isError, true);
    assert.match(textOf(missing), /refused \(404\)/);

    const forked = await call(client, "fork_room", { room });
    assert.ok(!forked.isError, textOf(forked));
    const fork = (forked.structuredContent as { room: string }).room;
    // A signed-in caller's fork is theirs (private): read it back as the same caller.
    assert.equal(textOf(await call(client, "read_file", { room: fork, name: "index.tsx" })), APP);

    // The agent's change is a chat message whose undo takes it back (here: once more after the restore put APP back).
    const again = await call(client, "write_file", { room, name: "index.tsx", text: "export default () => null;\n" });
    const undo = await fetch(new URL(`/live/${room}/chat/${(again.structuredContent as { message: string }).message}/undo`, worker.url), { method: "POST" });
    assert.equal(undo.status, 200, await undo.text());
    assert.equal((await fetchSession(worker, room)).files["index.tsx"], APP);
    assert.ok(message);
  });

  it("keeps both a typist's text and an agent's edit_file made at the same time", async () => {
    const room = nextRoom();
    await put(room, "index.tsx", APP);
    const typist = joinRoom(worker, room);
    await typist.synced();
    const client = await connect(await userToken());
    const text = fileText(typist.doc, "index.tsx");
    const typing = (async () => {
      for (const [i, ch] of [..."// typed\n"].entries()) {
        text.insert(i, ch);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const edit = call(client, "edit_file", { room, name: "index.tsx", search: "<h1>Hello</h1>", replace: "<h1>Agent</h1>" });
    const [result] = await Promise.all([edit, typing]);
    assert.ok(!result.isError, textOf(result));
    const watcher = joinRoom(worker, room);
    const files = await waitForConvergence([typist, watcher]);
    assert.ok(files["index.tsx"]!.includes("<h1>Agent</h1>"), files["index.tsx"]);
    assert.ok(files["index.tsx"]!.startsWith("// typed\n"), files["index.tsx"]);
  });

  it("scopes agent tokens: a read token cannot write, a token for room A cannot touch room B, a revoked token gets 401", async () => {
    const room = nextRoom();
    const other = nextRoom();
    await put(room, "index.tsx", APP);
    await put(other, "index.tsx", APP);
    const create = async (scope: "read" | "edit", name: string): Promise<AgentTokenCreated> => {
      const response = await fetch(new URL(`/live/${room}/agent-tokens`, worker.url), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ scope, name }),
      });
      assert.equal(response.status, 201, await response.clone().text());
      return (await response.json()) as AgentTokenCreated;
    };
    const reader = await create("read", "Reader bot");
    const editor = await create("edit", "Claude (MCP)");

    const readOnly = await connect(reader.token);
    assert.equal(textOf(await call(readOnly, "read_file", { name: "index.tsx" })), APP);
    const refusedWrite = await call(readOnly, "write_file", { name: "index.tsx", text: "gone" });
    assert.equal(refusedWrite.isError, true);
    assert.match(textOf(refusedWrite), /refused \((401|403)\)/);

    const agent = await connect(editor.token);
    const elsewhere = await call(agent, "edit_file", { room: other, name: "index.tsx", search: "Hello", replace: "Hacked" });
    assert.equal(elsewhere.isError, true);
    assert.match(textOf(elsewhere), /refused \(403\).*for room/);
    await assert.rejects(agent.readResource({ uri: `spike://room/${other}/files/index.tsx` }), /refused \(403\)/);
    const listed = await agent.listResources();
    assert.deepEqual(listed.resources.map((resource) => resource.uri), [`spike://room/${room}/files/index.tsx`]);
    // Its fork is a room nobody owns (the token is a role in its own room only), with a claim token for a person.
    const forked = await call(agent, "fork_room", {});
    assert.ok(!forked.isError, textOf(forked));
    const { room: fork, claimToken } = forked.structuredContent as { room: string; claimToken?: string };
    assert.ok(claimToken);
    assert.equal((await fetchSession(worker, fork)).files["index.tsx"], APP);
    const own = await call(agent, "edit_file", { name: "index.tsx", search: "Hello", replace: "Hi" });
    assert.ok(!own.isError, textOf(own));

    const revoked = await fetch(new URL(`/live/${room}/agent-tokens/${editor.id}`, worker.url), { method: "DELETE" });
    assert.equal(revoked.status, 200, await revoked.text());
    const afterRevoke = await rawPost(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }), editor.token);
    assert.equal(afterRevoke.status, 401);
    assert.equal(((await afterRevoke.json()) as { error: { code: number } }).error.code, -32001);

    assert.equal((await fetchSession(worker, other)).files["index.tsx"], APP);
    assert.equal((await fetchSession(worker, room)).files["index.tsx"], APP.replace("Hello", "Hi"));
  });

  it("limits each token on its own: a caller past the compute limit is refused from any address, another caller is not", async () => {
    const room = nextRoom();
    await put(room, "index.tsx", APP);
    const [alice, bob] = [await userToken("user_rate_alice"), await userToken("user_rate_bob")];
    const buildErrors = async (from: string, token: string) => {
      const answer = await postFrom(from, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "get_build_errors", arguments: { room } } }, token);
      assert.equal(answer.status, 200, JSON.stringify(answer.json));
      return answer.json.result as CallToolResult;
    };
    for (let i = 0; i < 3; i++) assert.ok(!(await buildErrors("127.0.0.2", alice)).isError);
    const limited = await buildErrors("127.0.0.2", alice);
    assert.equal(limited.isError, true);
    assert.match(textOf(limited), /refused \(429\): too many requests/);
    // A fresh address: alice's own bucket still refuses her; bob, on the same fresh address, is answered.
    assert.match(textOf(await buildErrors("127.0.0.3", alice)), /refused \(429\)/);
    assert.ok(!(await buildErrors("127.0.0.3", bob)).isError);
  });

  it("answers bad input with a JSON-RPC error or a tool error, and the room stays as it was", async () => {
    const room = nextRoom();
    await put(room, "index.tsx", APP);
    const before = await fetchSession(worker, room);
    const token = await userToken();

    const anonymous = await rawPost(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }), null);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get("www-authenticate"), "Bearer");
    assert.equal(((await anonymous.json()) as { error: { code: number } }).error.code, -32001);
    const forged = await rawPost(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }), `sat1.${Buffer.from(room).toString("base64url")}.${"A".repeat(43)}`);
    assert.equal(forged.status, 401);

    const garbled = await rawPost(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }), "sat1.!!.x");
    assert.equal(garbled.status, 401);
    assert.match(((await garbled.json()) as { error: { message: string } }).error.message, /malformed agent token/);
    const noMethod = await rawPost(JSON.stringify({ jsonrpc: "2.0", id: 9, method: "files/steal", params: {} }), token);
    assert.equal(((await noMethod.json()) as { error: { code: number } }).error.code, -32601);

    const malformed = await rawPost("{not json", token);
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { error: { code: number } }).error.code, -32700);
    const notRpc = await rawPost(JSON.stringify({ hello: "world" }), token);
    assert.equal(notRpc.status, 400);
    assert.ok(((await notRpc.json()) as { error: { code: number } }).error.code < 0);
    const preflight = await fetch(new URL("/mcp", worker.url), {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization, mcp-protocol-version" },
    });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /Mcp-Protocol-Version/);
    assert.equal(anonymous.headers.get("access-control-allow-origin"), "*");
    for (const method of ["GET", "DELETE"]) {
      const response = await fetch(new URL("/mcp", worker.url), { method, headers: { authorization: `Bearer ${token}` } });
      assert.equal(response.status, 405);
      assert.equal(((await response.json()) as { jsonrpc: string }).jsonrpc, "2.0");
    }
    const huge = await rawPost(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "write_file", arguments: { room, name: "index.tsx", text: "x".repeat(1_200_000) } } }), token);
    assert.equal(huge.status, 413);
    assert.equal(((await huge.json()) as { error: { code: number } }).error.code, -32600);

    const client = await connect(token);
    await assert.rejects(client.callTool({ name: "drop_database", arguments: {} }), (error: Error & { code?: number }) => {
      assert.equal(error.code, -32602);
      assert.match(error.message, /unknown tool "drop_database"/);
      return true;
    });
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["read_file", { room, name: "../../etc/passwd" }, /invalid file name/],
      ["write_file", { room, name: "../secrets.ts", text: "x" }, /invalid file name/],
      ["delete_file", { room, name: "/index.tsx" }, /invalid file name/],
      ["edit_file", { room, name: "index.tsx", search: "not in the file", replace: "x" }, /search text not found/],
      ["edit_file", { room, name: "index.tsx", search: "", replace: "x" }, /search/],
      ["write_file", { room, name: "index.tsx" }, /text/],
      ["read_file", { room: "bad room!", name: "index.tsx" }, /room ids/],
      ["read_file", { name: "index.tsx" }, /which room/],
      ["write_file", { room, name: "index.tsx", text: "y".repeat(600_000) }, /larger than/],
    ];
    for (const [tool, args, message] of cases) {
      const result = await call(client, tool, args);
      assert.equal(result.isError, true, `${tool} ${JSON.stringify(args).slice(0, 80)}`);
      assert.match(textOf(result), message);
    }
    const afterAll = await fetchSession(worker, room);
    assert.deepEqual(afterAll.files, before.files);
    assert.equal(afterAll.version, before.version);
  });
});
