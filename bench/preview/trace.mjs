/**
 * Reading a Chromium trace of preview edits (bench/preview-profile.mjs): the marks the profile probe left at each keydown,
 * frame arrival and DOM change, the main thread's tasks in the host and frame processes, and the V8 CPU samples of both,
 * attributed to the part of the stack they ran in (Monaco, Yjs, the builder, React, ...) by the script URL of their frames.
 * Pure functions over the parsed trace JSON and CPU profiles; all times are monotonic microseconds (one clock for every
 * process).
 */

/**
 * Where a sample's time goes, by the URL of the innermost frame that has one: the first rule that matches names it.
 * The bundle's chunks are named after their entry modules (rollup), so a chunk name says which part of spike ran.
 */
const RULES = [
  [/\/npm\/react-dom@/, "React DOM (render, commit)"],
  [/\/npm\/react@/, "React (elements, hooks)"],
  [/^blob:/, "the app's module (user code)"],
  [/\/preview\/frame\.js/, "frame runtime (preview-frame/*)"],
  [/\/chunks\/monaco-entry-/, "Monaco (editor, model, view)"],
  [/\/chunks\/yjs-/, "Yjs (Y.Text, update encoding)"],
  [/\/chunks\/editor-live-/, "editor binding (y-monaco, editor-live)"],
  [/\/chunks\/build-/, "builder (sucrase + acorn, core/build)"],
  [/\/chunks\/preview-live-/, "preview-live (schedule, channel, postMessage)"],
  [/\/chunks\/(room-element|room-frame|palette|directive-helpers)-|\/spike(-\w+)?\.js/, "spike elements (lit, room)"],
  [/\/chunks\/(tsMode|typescript)-/, "Monaco TypeScript mode"],
];

/** V8's pseudo frames (no URL): what the thread did outside JavaScript while sampled. */
const PSEUDO = {
  "(garbage collector)": "garbage collection",
  "(program)": "native (compile, layout, style, IPC)",
  "(idle)": "idle",
  "(root)": "native (compile, layout, style, IPC)",
};

/** The category of a profile node: its own URL, else its nearest ancestor's. */
function categorize(node, nodes, cache) {
  if (cache.has(node.id)) return cache.get(node.id);
  let category;
  const frame = node.callFrame ?? {};
  if (PSEUDO[frame.functionName] && !frame.url) category = PSEUDO[frame.functionName];
  else if (frame.url) category = RULES.find(([re]) => re.test(frame.url))?.[1] ?? "other JavaScript";
  else if (node.parent !== undefined && nodes.has(node.parent)) category = categorize(nodes.get(node.parent), nodes, cache);
  else category = "native (compile, layout, style, IPC)";
  cache.set(node.id, category);
  return category;
}

/**
 * A CPU profile from the DevTools protocol's Profiler domain as samples { pid, ts, dur, category }. Its times are the
 * same monotonic microseconds as the trace's, so `pid` (the process whose marks it goes with) places it.
 */
export function profileSamples(profile, pid) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, { ...node }]));
  for (const node of profile.nodes) for (const child of node.children ?? []) nodes.get(child).parent = node.id;
  const cache = new Map();
  const samples = [];
  let ts = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    ts += profile.timeDeltas[i] ?? 0;
    const node = nodes.get(profile.samples[i]);
    const frame = node?.callFrame;
    const where = frame?.url ? ` ${frame.url.replace(/^.*\/(?=[^/]+$)/, "").slice(0, 40)}:${frame.lineNumber + 1}` : "";
    const fn = frame ? `${frame.functionName || "(anonymous)"}${where}` : "unknown";
    samples.push({ pid, ts, dur: 0, fn, category: node ? categorize(node, nodes, cache) : "unknown" });
  }
  // A sample stands for the time until the next one (capped: a long gap is a paused thread, not work).
  for (let i = 0; i < samples.length; i++) samples[i].dur = Math.min((samples[i + 1]?.ts ?? samples[i].ts) - samples[i].ts, 2000);
  return samples;
}

/**
 * The parts of a trace this analysis needs: marks by name and the main thread of each process with its top-level
 * tasks; `samples` come from profileSamples (the trace's own sampler stops early in some renderers).
 * @example const t = readTrace(JSON.parse(buffer), samples); t.marks.filter((m) => m.name.startsWith("profile:keydown"))
 */
export function readTrace(json, samples = []) {
  const events = Array.isArray(json) ? json : json.traceEvents;
  const mainThreads = new Map(); // pid -> tid of CrRendererMain
  const marks = [];
  const tasks = [];
  for (const e of events) {
    if (e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain") mainThreads.set(e.pid, e.tid);
  }
  for (const e of events) {
    if (e.cat?.includes("blink.user_timing") && e.name?.startsWith("profile:")) {
      // A mark is an instant event; its trace time is `ts` (measures would have ph b/e).
      if (e.ph === "R" || e.ph === "I" || e.ph === "i" || e.ph === "n") marks.push({ name: e.name, pid: e.pid, ts: e.ts });
    } else if (e.ph === "X" && e.name === "ThreadControllerImpl::RunTask" && mainThreads.get(e.pid) === e.tid) {
      tasks.push({ pid: e.pid, ts: e.ts, end: e.ts + (e.dur ?? 0) });
    }
  }
  marks.sort((a, b) => a.ts - b.ts);
  tasks.sort((a, b) => a.ts - b.ts);
  return { marks, tasks, samples, mainThreads };
}

/** The process ids of the host page and the frame: those of the first keydown mark and the first DOM mark. */
export function processesOf(json) {
  const events = Array.isArray(json) ? json : json.traceEvents;
  const pidOf = (prefix) => events.find((e) => e.name?.startsWith(prefix) && e.cat?.includes("blink.user_timing"))?.pid;
  return { host: pidOf("profile:keydown"), frame: pidOf("profile:dom") };
}

/** Milliseconds of [from, to) covered by the union of `intervals` ({ ts, end }, sorted by ts) of process `pid`. */
function covered(intervals, pid, from, to) {
  let total = 0;
  let reach = from;
  for (const i of intervals) {
    if (i.pid !== pid || i.end <= reach || i.ts >= to) continue;
    const start = Math.max(i.ts, reach);
    const end = Math.min(i.end, to);
    if (end > start) total += end - start;
    reach = Math.max(reach, end);
  }
  return total / 1000;
}

/** CPU time in [from, to) of process `pid` by category, in ms. */
function cpuByCategory(samples, pid, from, to) {
  const out = {};
  for (const s of samples) {
    if (s.pid !== pid || s.ts < from || s.ts >= to || s.category === "idle") continue;
    out[s.category] = (out[s.category] ?? 0) + s.dur / 1000;
  }
  return out;
}

/** Self time in [from, to) of process `pid` by function (name, script, line), in ms. */
function cpuByFunction(samples, pid, from, to) {
  const out = {};
  for (const s of samples) {
    if (s.pid !== pid || s.ts < from || s.ts >= to || s.category === "idle") continue;
    out[s.fn] = (out[s.fn] ?? 0) + s.dur / 1000;
  }
  return out;
}

/** The main-thread tasks of `pid` that overlap [from, to), as offsets from `origin` in ms, with their main category. */
function taskList(trace, pid, from, to, origin) {
  return trace.tasks
    .filter((t) => t.pid === pid && t.end > from && t.ts < to && t.end - t.ts >= 100)
    .map((t) => {
      const cpu = cpuByCategory(trace.samples, pid, t.ts, t.end);
      const top = Object.entries(cpu).sort((a, b) => b[1] - a[1])[0];
      return { at: (t.ts - origin) / 1000, ms: (t.end - t.ts) / 1000, top: top?.[0] ?? "(no samples)" };
    });
}

/**
 * One edit split at its marks: keydown (host) -> update message arrives (frame) -> marker text in the DOM (frame) -> next
 * animation frame; for each half, the host's or frame's main-thread busy time, its CPU time by category, and its task list.
 * Null when a mark is missing (the edit was not traced whole).
 */
export function splitEdit(trace, { key, text }) {
  const keydown = trace.marks.find((m) => m.name === `profile:keydown ${key}` && !m.used);
  if (!keydown) return null;
  const dom = trace.marks.find((m) => m.name === `profile:dom ${text}` && m.ts >= keydown.ts);
  if (!dom) return null;
  keydown.used = true;
  const arrived = trace.marks.filter((m) => m.name === "profile:message" && m.pid === dom.pid && m.ts >= keydown.ts && m.ts <= dom.ts).at(-1);
  const sent = trace.marks.filter((m) => m.name === "profile:send" && m.pid === keydown.pid && m.ts >= keydown.ts && m.ts <= (arrived?.ts ?? dom.ts)).at(-1);
  const paint = trace.marks.find((m) => m.name === `profile:raf ${text}` && m.ts >= dom.ts);
  const host = keydown.pid;
  const frame = dom.pid;
  const mid = arrived?.ts ?? dom.ts;
  return {
    total: (dom.ts - keydown.ts) / 1000,
    toFrame: (mid - keydown.ts) / 1000,
    toSend: sent ? (sent.ts - keydown.ts) / 1000 : NaN,
    inFrame: (dom.ts - mid) / 1000,
    toPaint: paint ? (paint.ts - dom.ts) / 1000 : NaN,
    hostBusy: covered(trace.tasks, host, keydown.ts, mid),
    frameBusy: covered(trace.tasks, frame, mid, dom.ts),
    hostCpu: cpuByCategory(trace.samples, host, keydown.ts, mid),
    hostFunctions: cpuByFunction(trace.samples, host, keydown.ts, mid),
    frameFunctions: cpuByFunction(trace.samples, frame, mid, dom.ts),
    frameCpu: cpuByCategory(trace.samples, frame, mid, dom.ts),
    // Host work after the frame got the edit but before the DOM showed it competes only for the CPU, not the frame's thread.
    hostAfter: cpuByCategory(trace.samples, host, mid, dom.ts),
    hostTasks: taskList(trace, host, keydown.ts - 500, mid, keydown.ts),
    frameTasks: taskList(trace, frame, mid - 500, dom.ts, keydown.ts),
  };
}
