/**
 * The collab bench's targets and command line: what is measured (a server, and whether its clients offer
 * permessage-deflate) and the flags of `node bench/collab-latency.mjs`.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * What is measured: a server, and whether the clients offer permessage-deflate; `inflated`: the server accepts it, so
 * every client inflates every update in this one process.
 */
export const TARGETS = {
  spike: { server: "spike", deflate: true, inflated: true, title: "spike DO" },
  "spike-raw": { server: "spike", deflate: false, title: "spike DO no-deflate" },
  reference: { server: "reference", deflate: true, title: "reference" },
};

const HELP = `usage: node bench/collab-latency.mjs [options]
  --clients 2,10,50        client counts (each: one room, that many Y.Doc + WebsocketProvider); add 200 for the
                           200-client room (about a minute more: raise --max-seconds to 400)
  --edits 300              measured sequential inserts per client count (latency phase)
  --warmup 60              unmeasured sequential inserts before, plus a 0.25 s throughput burst
  --duration 3             seconds of the measured throughput phase
  --window 4               inserts each sending client may have in flight in the throughput phase
  --senders N              at most N clients insert in the throughput phase (default: every client up to 50, then
                           as many as keep 50 x window x 49 deliveries in flight: 12 of 200)
  --deflate-up-to 50       the "spike" target (clients inflating) is measured only up to this many clients: above it
                           this one process inflating every update for every client is what sets the figures
  --rounds 3               both phases are cut into this many rounds alternating between targets
  --edit-timeout-ms 5000   an insert not seen by every receiver within this is counted as lost (latency phase)
  --drain-timeout-ms 30000 after a throughput slice, everything in flight must arrive within this
  --servers spike,spike-raw,reference
                           spike: the CodeRoom DO with stock clients (they offer permessage-deflate; the room declines it);
                           spike-raw: the same DO, clients that do not offer permessage-deflate;
                           reference: @y/websocket-server with stock clients (it declines permessage-deflate)
  --memory 20,50           memory per room and per socket: N idle one-client rooms, then one room of M idle clients,
                           on a fresh server per target (0 skips it)
  --max-seconds 240        hard stop for the whole run (cleans up, exits 1)
  --config wrangler.jsonc  wrangler config of the spike worker (to try a modified CodeRoom elsewhere)
  --json                   also print the raw results as JSON`;

/**
 * The options of one run from the command line; `--help` prints HELP and exits, an unknown flag throws.
 * @example parseArgs(["--clients", "2,10", "--servers", "spike-raw,reference"]).clients // [2, 10]
 */
export function parseArgs(argv) {
  const opts = {
    clients: [2, 10, 50],
    edits: 300,
    warmup: 60,
    duration: 3,
    window: 4,
    senders: Infinity,
    deflateUpTo: 50,
    memory: { rooms: 20, sockets: 50 },
    rounds: 3,
    editTimeoutMs: 5000,
    drainTimeoutMs: 30000,
    servers: ["spike", "spike-raw", "reference"],
    maxSeconds: 240,
    json: false,
    config: path.join(ROOT, "wrangler.jsonc"),
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => inline ?? argv[++i];
    const num = (name) => {
      const v = Number(value());
      if (!Number.isFinite(v) || v < 0) throw new Error(`${name} needs a non-negative number`);
      return v;
    };
    switch (flag) {
      case "--clients":
        opts.clients = value().split(",").map((s) => Number(s.trim()));
        if (opts.clients.some((n) => !Number.isInteger(n) || n < 2)) throw new Error("--clients needs integers >= 2");
        break;
      case "--edits": opts.edits = Math.floor(num(flag)); break;
      case "--warmup": opts.warmup = Math.floor(num(flag)); break;
      case "--duration": opts.duration = num(flag); break;
      case "--window": opts.window = Math.max(1, Math.floor(num(flag))); break;
      case "--senders": opts.senders = Math.max(1, Math.floor(num(flag))); break;
      case "--deflate-up-to": opts.deflateUpTo = Math.floor(num(flag)); break;
      case "--memory": {
        const [rooms, sockets = rooms] = value().split(",").map((x) => Number(x.trim()));
        if (rooms === 0) opts.memory = null;
        else if (!(Number.isInteger(rooms) && rooms > 0 && Number.isInteger(sockets) && sockets > 1)) throw new Error("--memory needs rooms,sockets (sockets >= 2) or 0");
        else opts.memory = { rooms, sockets };
        break;
      }
      case "--rounds": opts.rounds = Math.max(1, Math.floor(num(flag))); break;
      case "--edit-timeout-ms": opts.editTimeoutMs = num(flag); break;
      case "--drain-timeout-ms": opts.drainTimeoutMs = num(flag); break;
      case "--max-seconds": opts.maxSeconds = num(flag); break;
      case "--servers":
        opts.servers = value().split(",").map((s) => s.trim());
        if (opts.servers.length === 0 || opts.servers.some((s) => !TARGETS[s])) throw new Error(`--servers: some of ${Object.keys(TARGETS).join(",")}`);
        break;
      case "--json": opts.json = true; break;
      case "--config": opts.config = path.resolve(value()); break;
      case "-h":
      case "--help":
        console.log(HELP);
        process.exit(0);
      default:
        throw new Error(`unknown option ${argv[i]}\n${HELP}`);
    }
  }
  return opts;
}
