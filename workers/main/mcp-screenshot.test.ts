/**
 * The MCP `screenshot` tool end to end: the main Worker, the CodeRoom, the transpiler and the renderer Worker (Debian's
 * Chromium through scripts/browser-shim.mjs) in workerd, and the MCP SDK's client with a room's agent token. The image
 * decodes, has the asked size and the app's colour, and is the very render `GET /live/<room>/screenshot.png` serves (its
 * R2 cache answers the route afterwards); an app that does not build is a tool error naming the error.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { PNG } from "pngjs";
import type { AgentTokenCreated } from "../../core/api.js";
import { startTestWorker, type TestWorker } from "../test-support.js";

const PAGE = [255, 0, 170] as const;
const APP = `export default function App() {
  return <div style={{ position: "fixed", inset: 0, background: "rgb(${PAGE.join(",")})" }}>Hello</div>;
}
`;
let worker: TestWorker;
let client: Client | undefined;

before(async () => {
  worker = await startTestWorker({ transpiler: true, renderer: { vars: { RENDER_TIMEOUT_MS: "20000" } }, assets: "dist/site" });
});
after(async () => {
  await client?.close();
  await worker?.dispose();
});

describe("/mcp screenshot", () => {
  it("answers the room's running app as a PNG image, the render the screenshot route serves; a broken app is a tool error", async () => {
    const room = "mcp-shot";
    const put = await fetch(new URL(`/live/${room}/files/index.tsx`, worker.url), { method: "PUT", body: APP });
    assert.equal(put.status, 200, await put.text());
    const created = await fetch(new URL(`/live/${room}/agent-tokens`, worker.url), { method: "POST", body: JSON.stringify({ scope: "read" }) });
    assert.equal(created.status, 201, await created.clone().text());
    const { token } = (await created.json()) as AgentTokenCreated;

    const transport = new StreamableHTTPClientTransport(new URL("/mcp", worker.url), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
    client = new Client({ name: "spike-test", version: "1.0.0" });
    await client.connect(transport);
    const shot = (await client.callTool({ name: "screenshot", arguments: { width: 320, height: 200 } }, undefined, { timeout: 120_000 })) as CallToolResult;
    assert.ok(!shot.isError, JSON.stringify(shot.content).slice(0, 500));
    const image = shot.content[0]!;
    assert.equal(image.type, "image");
    assert.equal((image as { mimeType: string }).mimeType, "image/png");
    const bytes = Buffer.from((image as { data: string }).data, "base64");
    const png = PNG.sync.read(bytes);
    assert.deepEqual([png.width, png.height], [320, 200]);
    const at = (png.width * 150 + 160) * 4;
    const pixel = [png.data[at]!, png.data[at + 1]!, png.data[at + 2]!];
    assert.ok(pixel.every((value, i) => Math.abs(value - PAGE[i]!) <= 3), `page colour ${pixel}`);

    // The same render, from the route's R2 cache.
    const route = await fetch(new URL(`/live/${room}/screenshot.png?width=320&height=200`, worker.url));
    assert.equal(route.status, 200);
    assert.equal(route.headers.get("x-spike-cache"), "hit");
    assert.ok(Buffer.from(await route.arrayBuffer()).equals(bytes));

    const broken = await fetch(new URL(`/live/${room}/files/index.tsx`, worker.url), { method: "PUT", body: "export default function App( {\n" });
    assert.equal(broken.status, 200);
    const refused = (await client.callTool({ name: "screenshot", arguments: {} }, undefined, { timeout: 120_000 })) as CallToolResult;
    assert.equal(refused.isError, true);
    assert.match((refused.content[0] as { text: string }).text, /refused \(422\): the app does not build/);
    const errors = (await client.callTool({ name: "get_build_errors", arguments: {} })) as CallToolResult;
    assert.ok((errors.structuredContent as { errors: { file: string }[] }).errors.some((error) => error.file === "index.tsx"), JSON.stringify(errors));
  });
});
