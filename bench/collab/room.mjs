/**
 * One room of the collab bench: `count` stock y-websocket clients (one Y.Doc + WebsocketProvider each) in this process,
 * with every insert tracked from its sender to each receiver's Y.Text observer.
 */
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { onCleanup, sleep, withTimeout } from "../support.mjs";

/** `ws` as the provider's WebSocket, optionally without permessage-deflate (a plain `ws` client offers it). */
class NoDeflateWebSocket extends WebSocket {
  constructor(url, protocols) {
    super(url, protocols, { perMessageDeflate: false });
  }
}

let roomSeq = 0;

/**
 * One room with `count` clients. Tracks every insert by (sender clientID, sender clock after the insert) and, in each
 * receiver's Y.Text observer, which of the sender's inserts the transaction made visible.
 * @example const room = await openRoom(server, 10, false); const edit = room.insert(room.clients[0], true); … await room.close();
 */
export async function openRoom(server, count, deflate) {
  const room = `bench-${count}-${process.pid}-${Date.now().toString(36)}-${++roomSeq}`;
  const clients = [];
  const byClientId = new Map();
  const WS = deflate ? WebSocket : NoDeflateWebSocket;
  // y-websocket adds one process 'exit' listener per provider.
  process.setMaxListeners(process.getMaxListeners() + count);
  let onDelivery = null; // (edit, receiverIndex, now) during measurement
  let onComplete = null; // (edit) when every receiver has it
  let drops = 0; // connections lost after the first sync (e.g. wrangler reloading the worker)
  let closing = false;

  for (let i = 0; i < count; i++) {
    const doc = new Y.Doc();
    const text = doc.getText("bench");
    const client = {
      index: i,
      doc,
      text,
      provider: null,
      sent: [], // this client's inserts in clock order: { endClock, edit }
      cursor: new Map(), // receiver side: sender clientID -> index into that sender's `sent`
    };
    text.observe((event) => {
      const tr = event.transaction;
      if (tr.local) return;
      const now = performance.now();
      tr.afterState.forEach((clock, clientId) => {
        if (clientId === doc.clientID || tr.beforeState.get(clientId) === clock) return;
        const sender = byClientId.get(clientId);
        if (!sender) return;
        let k = client.cursor.get(clientId) ?? 0;
        while (k < sender.sent.length && sender.sent[k].endClock <= clock) {
          const edit = sender.sent[k].edit;
          k++;
          if (edit.lat) edit.lat[edit.got] = now - edit.t0;
          edit.got++;
          edit.remaining--;
          if (onDelivery) onDelivery(edit, now);
          if (edit.remaining === 0) {
            edit.done = now;
            if (onComplete) onComplete(edit);
            edit.resolve?.();
          }
        }
        client.cursor.set(clientId, k);
      });
    });
    clients.push(client);
    byClientId.set(doc.clientID, client);
  }

  const destroy = () => {
    for (const c of clients) {
      try {
        c.provider?.destroy();
      } catch {}
      try {
        c.doc.destroy();
      } catch {}
    }
  };
  const dispose = onCleanup(destroy);

  // Connect everyone and wait until every provider reports synced.
  const t = performance.now();
  await withTimeout(
    Promise.all(
      clients.map(
        (c) =>
          new Promise((resolve, reject) => {
            c.provider = new WebsocketProvider(server.wsBase, server.roomPath(room), c.doc, {
              WebSocketPolyfill: WS,
              disableBc: true,
            });
            c.provider.on("sync", (synced) => synced && resolve());
            let synced = false;
            c.provider.on("sync", (s) => {
              synced ||= s;
            });
            c.provider.on("connection-close", (event) => {
              if (closing) return;
              if (synced) drops++;
              else if (event) reject(new Error(`client ${c.index} closed: ${event.code} ${event.reason}`));
            });
          }),
      ),
    ),
    30_000,
    `connecting ${count} clients`,
  );
  const connectMs = performance.now() - t;
  const extensions = clients[0].provider.ws?.extensions ?? "";

  /** Insert one keystroke at the end of `sender`'s text; every other client must integrate it. */
  function insert(sender, measureLatency, phase = null) {
    const edit = {
      phase,
      t0: performance.now(),
      sender: sender.index,
      remaining: count - 1,
      got: 0,
      done: 0,
      lat: measureLatency ? new Float64Array(count - 1) : null,
      resolve: null,
    };
    sender.text.insert(sender.text.length, "x");
    sender.sent.push({ endClock: Y.getState(sender.doc.store, sender.doc.clientID), edit });
    return edit;
  }

  return {
    room,
    clients,
    connectMs,
    extensions,
    insert,
    /** Which inserts are incomplete and which receivers lack them, for error messages. */
    describeStuck() {
      const parts = [];
      for (const sender of clients) {
        for (const { edit } of sender.sent) {
          if (edit.remaining === 0) continue;
          const missing = clients.filter((c) => c !== sender && (c.cursor.get(sender.doc.clientID) ?? 0) <= sender.sent.findIndex((x) => x.edit === edit));
          const shown = missing.slice(0, 8).map((c) => `${c.index}(${c.provider.wsconnected ? "open" : "closed"}${c.provider.synced ? ",synced" : ""})`);
          const more = missing.length > shown.length ? ` and ${missing.length - shown.length} more` : "";
          parts.push(`sender ${sender.index} missing at ${shown.join(" ")}${more}`);
          if (parts.length >= 5) return parts.join("; ");
        }
      }
      return parts.join("; ") || "none";
    },
    get drops() {
      return drops;
    },
    setHooks(delivery, complete) {
      onDelivery = delivery;
      onComplete = complete;
    },
    async close() {
      closing = true;
      dispose();
      destroy();
      await sleep(150); // let the close frames go out before the next room / server stop
    },
  };
}
