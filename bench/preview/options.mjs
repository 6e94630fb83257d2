/** The command line of `node bench/preview-latency.mjs`: its flags, their defaults and the help text. */

const HELP = `usage: node bench/preview-latency.mjs [options]
  --edits 200              measured keystrokes per target (one at a time; the next waits for the preview)
  --warmup 20              unmeasured keystrokes per target before them
  --cold-runs 3            page loads per target in a fresh browser context (empty cache, no service worker)
  --rounds 4               the measured edits are cut into this many rounds alternating between targets
  --pause-ms 50            idle time after the preview showed an edit, before the next keystroke
  --edit-timeout-ms 10000  an edit not shown within this is counted as lost
  --targets spike,playground
  --wait-spike-seconds 0   wait this long for <spike-preview> (elements/spike-preview.ts + dist/site/preview/frame.html)
  --max-seconds 480        hard stop for the whole run (cleans up, exits 1)
  --cold-only              only the cold loads and repeat visits (no warm edits)
  --timeline               print the first cold load's and repeat visit's path per target (resources, messages)
  --json                   also print the raw results as JSON
  BENCH_DEBUG=1 in the environment prints the pages' console messages, frame navigations and failed requests`;

/**
 * The options of one run from the command line; `--help` prints HELP and exits, an unknown flag throws.
 * @example parseArgs(["--edits", "40", "--targets", "spike"]).targets // ["spike"]
 */
export function parseArgs(argv) {
  const opts = {
    edits: 200,
    warmup: 20,
    coldRuns: 3,
    rounds: 4,
    pauseMs: 50,
    editTimeoutMs: 10_000,
    targets: ["spike", "playground"],
    waitSpikeSeconds: 0,
    maxSeconds: 480,
    json: false,
    coldOnly: false,
    timeline: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => inline ?? argv[++i];
    const num = () => {
      const v = Number(value());
      if (!Number.isFinite(v) || v < 0) throw new Error(`${flag} needs a non-negative number`);
      return v;
    };
    switch (flag) {
      case "--edits": opts.edits = Math.max(1, Math.floor(num())); break;
      case "--warmup": opts.warmup = Math.floor(num()); break;
      case "--cold-runs": opts.coldRuns = Math.floor(num()); break;
      case "--rounds": opts.rounds = Math.max(1, Math.floor(num())); break;
      case "--pause-ms": opts.pauseMs = num(); break;
      case "--edit-timeout-ms": opts.editTimeoutMs = num(); break;
      case "--wait-spike-seconds": opts.waitSpikeSeconds = num(); break;
      case "--max-seconds": opts.maxSeconds = num(); break;
      case "--targets":
        opts.targets = value().split(",").map((s) => s.trim());
        if (opts.targets.length === 0 || opts.targets.some((t) => !["spike", "playground"].includes(t))) {
          throw new Error("--targets: some of spike,playground");
        }
        break;
      case "--json": opts.json = true; break;
      case "--cold-only": opts.coldOnly = true; break;
      case "--timeline": opts.timeline = true; break;
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
