/**
 * Random concurrent editing through one CodeRoom: stock y-websocket clients make thousands of seeded random edits while
 * dropping and regaining their connections; at the end every client, the room's stored state and the state after a
 * restart must be the same. Set SPIKE_SEED to replay another sequence of choices (network timing still varies per run).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import WebSocket from "ws";
import * as Y from "yjs";
import { filesOf, writeFile } from "../../core/project.js";
import {
  connectClient,
  fetchSession,
  seededRandom,
  sleep,
  startTestWorker,
  waitForConvergence,
  type TestClient,
  type TestWorker,
} from "../test-support.js";

const SEED = Number(process.env.SPIKE_SEED ?? 0x5eed);
const CLIENT_COUNT = 6;
const OPERATIONS = 4_000;
const ROOM = "stress";
/** Most edits go to the entry file so clients collide there; the rest spread over the other files. */
const FILES = ["index.tsx", "App.tsx", "styles.css", "lib/util.ts"] as const;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz ABC{}()<>;\n\u00e9\u4e2d\u{1F600}";

let dir: string;
let worker: TestWorker | undefined;
const clients: TestClient[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "spike-concurrency-test-"));
  worker = await startTestWorker({ persistDir: dir });
});

after(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await worker?.dispose();
  await rm(dir, { recursive: true, force: true });
});

it(`${CLIENT_COUNT} clients, ${OPERATIONS} random edits and disconnects: all converge, the room stores it`, async (t) => {
  t.diagnostic(`seed ${SEED}`);
  const random = seededRandom(SEED);
  const below = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[below(items.length)]!;
  const randomText = () => {
    let s = "";
    for (let i = 1 + below(8); i > 0; i--) s += pick([...ALPHABET]);
    return s;
  };

  for (let i = 0; i < CLIENT_COUNT; i++) clients.push(connectClient(worker!, ROOM));
  await Promise.all(clients.map((c) => c.synced()));
  // One client creates every file first: concurrent creation of the same file name is a map conflict one side loses.
  clients[0]!.doc.transact(() => {
    for (const name of FILES) writeFile(clients[0]!.doc, name, `// ${name}\n`);
  });
  await waitForConvergence(clients);

  const edit = (doc: Y.Doc) => {
    const text = filesOf(doc).get(random() < 0.6 ? FILES[0] : pick(FILES))!;
    const deleting = text.length > 0 && random() < (text.length > 1_500 ? 0.7 : 0.35);
    if (deleting) {
      const at = below(text.length);
      text.delete(at, Math.min(1 + below(12), text.length - at));
    } else {
      text.insert(below(text.length + 1), randomText());
    }
  };

  const counts = { edits: 0, transactions: 0, disconnects: 0, drops: 0, pauses: 0 };
  for (let op = 0; op < OPERATIONS; op++) {
    const client = pick(clients);
    const roll = random();
    if (roll < 0.015) {
      // A clean disconnect (or a reconnect if it is already off); edits made meanwhile are sent on reconnect.
      if (client.provider.shouldConnect) client.provider.disconnect();
      else client.provider.connect();
      counts.disconnects++;
    } else if (roll < 0.025) {
      // The connection drops under the client; the provider reconnects by itself.
      if (client.provider.wsconnected) {
        (client.provider.ws as unknown as WebSocket).terminate();
        counts.drops++;
      }
    } else if (roll < 0.1) {
      // Several edits as one transaction, so one update frame carries them.
      client.doc.transact(() => {
        for (let i = 1 + below(5); i > 0; i--) edit(client.doc);
      });
      counts.transactions++;
    } else {
      edit(client.doc);
      counts.edits++;
    }
    if (random() < 0.03) {
      await sleep(below(15));
      counts.pauses++;
    }
  }
  t.diagnostic(JSON.stringify(counts));

  for (const client of clients) client.provider.connect();
  const converged = await waitForConvergence(clients, 20_000);
  assert.deepEqual(Object.keys(converged).sort(), [...FILES].sort());
  assert.notEqual(converged["index.tsx"], "// index.tsx\n", "the edits did something");

  const stored = await fetchSession(worker!, ROOM);
  assert.deepEqual(stored.files, converged, "session.json holds the converged state");
  const fresh = connectClient(worker!, ROOM);
  clients.push(fresh);
  await fresh.synced();
  assert.deepEqual(fresh.files(), converged, "a fresh client receives the converged state");

  // And the same again from storage alone: log replay, plus the snapshot if the compaction alarm ran meanwhile.
  for (const client of clients.splice(0)) client.destroy();
  await worker!.dispose();
  worker = await startTestWorker({ persistDir: dir });
  assert.deepEqual(await fetchSession(worker, ROOM), stored, "session.json after a restart");
  const afterRestart = connectClient(worker, ROOM);
  clients.push(afterRestart);
  await afterRestart.synced();
  assert.deepEqual(afterRestart.files(), converged, "a fresh client after a restart");
});
