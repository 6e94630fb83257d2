#!/usr/bin/env node
/**
 * spike's headless core from node: joins a room with `RoomClient` (spike/core, no DOM), edits its files as a collaborator
 * would, and writes its own transcript into the room's transcript.json, which the page's preview imports and shows live
 * (demos/headless.html). Each line it prints is a line of that transcript.
 *
 * Usage: node demos/headless.mjs [--server http://localhost:8787] [--room demo-headless] [--timeout 20]
 * In a project of your own: `npm install spike ws`, then the same imports.
 */
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { RoomClient, isValidRoomId, readFiles, writeFile } from "spike/core";

const USAGE = "usage: node demos/headless.mjs [--server http://localhost:8787] [--room demo-headless] [--timeout <seconds>]";

/**
 * The room's component. It imports the transcript (a JSON file is a module), so the preview shows each line as it lands;
 * JSON rather than text so the editor's TypeScript knows the module's type.
 */
const COMPONENT = `import transcript from "./transcript.json";

// Rewritten by demos/headless.mjs on each run: edit me, or run the script again.
export default function Transcript() {
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", padding: "8px 20px" }}>
      <h1>{transcript.run ? \`Edited from node, run \${transcript.run}\` : "Waiting for node"}</h1>
      <ol>
        {transcript.lines.map((line: string, i: number) => <li key={i}>{line}</li>)}
      </ol>
    </main>
  );
}
`;

/** Options from the command line, or a clear message and exit status 2. */
function options() {
  try {
    const { values } = parseArgs({
      options: {
        server: { type: "string", default: "http://localhost:8787" },
        room: { type: "string", default: "demo-headless" },
        timeout: { type: "string", default: "20" },
      },
    });
    const server = new URL(values.server);
    if (!/^(https?|wss?):$/.test(server.protocol)) throw new Error(`--server must be an http(s) URL, not ${values.server}`);
    if (!isValidRoomId(values.room)) throw new Error(`--room "${values.room}" is not a room id: use 1-64 of [A-Za-z0-9_-]`);
    const timeout = Number(values.timeout);
    if (!(timeout > 0)) throw new Error(`--timeout must be a number of seconds, not ${values.timeout}`);
    return { server: server.href.replace(/\/$/, ""), room: values.room, timeoutMs: timeout * 1000 };
  } catch (error) {
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
}

/** Resolve with `promise`, or reject saying what did not happen within the time allowed. */
function within(promise, ms, what) {
  let timer;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(what)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const { server, room, timeoutMs } = options();
const client = new RoomClient({ server, room, WebSocket, user: { name: "node script" } });
/** This run's transcript, kept in the room's transcript.json. */
const transcript = { script: "demos/headless.mjs", run: 0, node: process.version, lines: [] };

/** One line of the transcript: printed here, and added to transcript.json for everyone in the room (only the new line moves). */
function log(line) {
  console.log(line);
  transcript.lines.push(line);
  writeFile(client.doc, "transcript.json", `${JSON.stringify(transcript, null, 2)}\n`);
}

/** The run number the room's transcript.json names, or 0 when it names none (a new room, or a file someone broke). */
function lastRun(text) {
  try {
    return Number(JSON.parse(text ?? "{}").run) || 0;
  } catch {
    return 0;
  }
}

try {
  await within(client.whenSynced(), timeoutMs, `could not sync room "${room}" with ${server} within ${timeoutMs / 1000} s: is it running (npm start)?`);
  const before = readFiles(client.doc);
  transcript.run = lastRun(before["transcript.json"]) + 1;

  log(`joined room "${room}" on ${server}: ${Object.keys(before).length} files (${Object.keys(before).sort().join(", ") || "none"})`);
  writeFile(client.doc, "index.tsx", COMPONENT);
  log(`wrote index.tsx: a component that lists this transcript (${COMPONENT.length} characters)`);
  const lines = Object.entries(readFiles(client.doc)).map(([name, text]) => `${name} ${text.split("\n").length}`);
  log(`read the project back: ${lines.join(", ")} lines`);
  log(`${client.status}, as "${client.awareness.getLocalState()?.user?.name ?? "node script"}"; done, leaving the room`);

  // Wait until the server holds exactly what this client wrote, then leave (destroy closes the socket).
  const expected = readFiles(client.doc)["transcript.json"];
  await within(
    (async () => {
      while ((await client.http.session()).files["transcript.json"] !== expected) await new Promise((r) => setTimeout(r, 100));
    })(),
    timeoutMs,
    `the server did not confirm the edits within ${timeoutMs / 1000} s`,
  );
  console.log(`confirmed: GET ${server}/live/${room}/session.json holds this transcript`);
  client.destroy();
} catch (error) {
  console.error(`headless.mjs: ${error.message}`);
  client.destroy();
  process.exit(1);
}
