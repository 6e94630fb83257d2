/**
 * Rooms exist once written to, never by being read: through the real Worker and CodeRoom with storage on disk, anonymous
 * reads of rooms nobody wrote to answer 404 and leave no room data behind, nor does a connect the room-creation limit
 * refused; the first write creates exactly one room. Storage is not observable through the room's public surface, so this
 * reads the Durable Objects' SQLite files with the sqlite3 CLI (.ci/run installs it when missing).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { openRawSocket, rawRequest, startTestWorker, type TestWorker } from "../test-support.js";

let dir: string;
let worker: TestWorker;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "spike-existence-test-"));
  // One room creation per address, so the second new room's connect is refused by the room-creation limit.
  worker = await startTestWorker({ persistDir: dir, vars: { RATE_LIMIT_CREATE_PER_MINUTE: "1", RATE_LIMIT_CREATE_BURST: "1" } });
});
after(async () => {
  await worker?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe("rooms are created by writes, not reads", () => {
  it("150 anonymous reads of rooms nobody wrote to are 404s (or the empty session) and store nothing; so does a refused connect; a write creates one room", async () => {
    const reads = ["session.json", "index.tsx", "files/a.ts", "chat", "permissions", "index.js"];
    for (let i = 0; i < 150; i++) {
      const read = reads[i % reads.length];
      const response = await fetch(new URL(`/live/read-only-${i}/${read}`, worker.url));
      if (read === "session.json") {
        assert.equal(response.status, 200, `read ${i}`);
        assert.deepEqual(await response.json(), { room: `read-only-${i}`, files: {}, entry: "index.tsx", version: 0, updatedAt: null });
        continue;
      }
      assert.equal(response.status, 404, `read ${i}`);
      assert.match(((await response.json()) as { error: string }).error, /no room "read-only-\d+"/);
    }

    // The first new room of this address passes the creation limit (and stores nothing until written); the second is refused.
    const admitted = await openRawSocket(worker, "/live/connected-only/ws");
    admitted.ws.close();
    const refused = await openRawSocket(worker, "/live/refused-connect/ws");
    assert.equal((await refused.closed).code, 4429);
    assert.deepEqual(await roomsWithData(), [], "no room has tables or a name");

    // A write creates the room it writes to, and only that one.
    // A fresh connection (rawRequest): a kept-alive one the runtime closed meanwhile would fail a PUT, which is not retried.
    const put = await rawRequest(worker, "/live/connected-only/files/a.ts", { method: "PUT", body: "// a\n", headers: { "content-length": "5" } });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(await roomsWithData(), ["connected-only"]);
  });
});

/** The names of the rooms whose SQLite database holds any table of the room's (the runtime's own bookkeeping aside). */
async function roomsWithData(): Promise<string[]> {
  execFileSync("sqlite3", ["-version"], { stdio: "ignore" }); // a clear failure when the CLI is missing
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith(".sqlite") && f.includes("CodeRoom"));
  const rooms: string[] = [];
  for (const file of files) {
    const path = join(dir, file);
    const tables = sqlite(path, "SELECT name FROM sqlite_master WHERE type = 'table'")
      .split("\n")
      .filter((name) => name && !name.startsWith("_cf_") && !name.startsWith("__miniflare") && !name.startsWith("sqlite_"));
    if (tables.length === 0) continue;
    const name = tables.includes("meta") ? sqlite(path, "SELECT value FROM meta WHERE key = 'room'") : "";
    rooms.push(name || `(unnamed: ${tables.join(", ")})`);
  }
  return rooms.sort();
}

function sqlite(path: string, query: string): string {
  return execFileSync("sqlite3", ["-readonly", path, query], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
}
