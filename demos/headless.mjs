#!/usr/bin/env node
/**
 * spike's headless core from node: joins a room with `RoomClient` (spike/core, no DOM), edits its files as a collaborator
 * would, and writes its own transcript into the room's transcript.md, which the page's preview imports and shows live
 * (demos/headless.html). Each line it prints is a line of that transcript.
 *
 * Usage: node demos/headless.mjs [--server http://localhost:8787] [--room demo-headless] [--timeout 20]
 * In a project of your own: `npm install spike ws`, then the same imports.
 */
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { RoomClient, fileText, isValidRoomId, readFiles, writeFile } from "spike/core";

const USAGE = "usage: node demos/headless.mjs [--server http://localhost:8787] [--room demo-headless] [--timeout <seconds>]";

/** The room's component: it imports the transcript (a text file's module exports its text), so the preview shows it. */
const component = (run) => `import transcript from "./transcript.md";

// Written by demos/headless.mjs (run ${run}): edit me, or run the script again.
export default function Transcript() {
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", padding: "8px 20px" }}>
      <h1>Edited from node, run ${run}</h1>
      <pre style={{ whiteSpace: "pre-wrap" }}>{transcript}</pre>
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
const transcript = () => fileText(client.doc, "transcript.md");

/** One line of the transcript: printed here, and appended to transcript.md for everyone in the room. */
function log(line) {
  console.log(line);
  transcript().insert(transcript().length, `${line}\n`);
}

try {
  await within(client.whenSynced(), timeoutMs, `could not sync room "${room}" with ${server} within ${timeoutMs / 1000} s: is it running (npm start)?`);
  const before = readFiles(client.doc);
  const run = (Number(/, run (\d+)/.exec(before["transcript.md"] ?? "")?.[1]) || 0) + 1;

  writeFile(client.doc, "transcript.md", `Transcript of demos/headless.mjs, run ${run} (node ${process.version})\n\n`);
  log(`joined room "${room}" on ${server}: ${Object.keys(before).length} files (${Object.keys(before).sort().join(", ") || "none"})`);
  writeFile(client.doc, "index.tsx", component(run));
  log(`wrote index.tsx: a component that shows this transcript (${component(run).length} characters)`);
  const lines = Object.entries(readFiles(client.doc)).map(([name, text]) => `${name} ${text.split("\n").length}`);
  log(`read the project back: ${lines.join(", ")} lines`);
  log(`${client.status}, as "${client.awareness.getLocalState()?.user?.name ?? "node script"}"; done, leaving the room`);

  // Wait until the server holds exactly what this client wrote, then leave (destroy closes the socket).
  const expected = transcript().toString();
  await within(
    (async () => {
      while ((await client.http.session()).files["transcript.md"] !== expected) await new Promise((r) => setTimeout(r, 100));
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
