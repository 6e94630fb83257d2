/**
 * The preview frame's runtime (dist/site/preview/frame.js, loaded by frame.html on the preview origin). It takes project
 * modules from the host page over postMessage, turns them into blob: URLs and import maps, runs the entry (a default
 * export component is rendered with react-dom into #root, reusing one root across updates and keeping component state
 * where refresh.ts allows; anything else just runs) and reports renders, errors with file:line, and console output back.
 * It talks to exactly one window: its parent, at the origin named in the frame URL.
 */
import { captureConsole } from "./console-capture.js";
import { ErrorOverlay } from "./error-overlay.js";
import { hostPackageImports } from "./host-packages.js";
import { REACT_MODULES, isFramePackages, isHostMessage, readFrameParams, type FrameError, type FrameMessage, type UpdateMessage } from "./messages.js";
import { ModuleTable, mapStack } from "./module-table.js";
import { keepOffline } from "./offline.js";
import { MissingPackageError, PackageImports, addImportMapToDocument } from "./package-imports.js";
import { RefreshRegistry } from "./refresh.js";

/** The few react / react-dom entry points the runtime uses; loaded through the same import map as user code (one React). */
interface ReactApi {
  createElement(type: unknown, props?: { key: number }): unknown;
}
interface ReactRoot {
  render(element: unknown): void;
  unmount(): void;
}
interface ReactDomClient {
  createRoot(container: Element, options?: { onUncaughtError?: (error: unknown) => void }): ReactRoot;
}
interface ReactDom {
  flushSync?<T>(fn: () => T): T;
}

const params = readFrameParams(location.hash);
const overlay = new ErrorOverlay();
const table = new ModuleTable();
const refresh = new RefreshRegistry();
let packages: PackageImports | undefined;
let root: ReactRoot | undefined;
let mode: "react" | "module" | undefined;
/** The newest update, and whether a mount is running (updates that arrive meanwhile coalesce into the next mount). */
let latest: UpdateMessage | undefined;
let mounting = false;

function post(message: FrameMessage): void {
  if (params) parent.postMessage(message, params.parent);
}

/** An error value (anything can be thrown) as a FrameError pointing into the project. */
function describe(error: unknown): FrameError {
  const err = error instanceof Error ? error : new Error(String(error));
  const prefix = err.name === "Error" || err instanceof MissingPackageError ? "" : `${err.name}: `;
  const message = mapStack(`${prefix}${err.message}`, table).text;
  const stack = err.stack ? mapStack(err.stack, table) : undefined;
  // The loop guard's message names the loop's line (C1); the stack points into the guard code on that line.
  const guarded = /(\S+):(\d+) ran over/.exec(err.message);
  const location = guarded ? { file: guarded[1]!, line: Number(guarded[2]), column: 0 } : stack?.location;
  return { message, location, stack: stack?.text.split("\n").filter((l) => /^\s+at /.test(l)).slice(0, 8).join("\n") };
}

function reportError(title: string, error: FrameError, seq = latest?.seq ?? 0): void {
  overlay.show(title, error);
  post({ type: "spike:error", seq, error });
}

/** The line of `file` that imports `specifier`, for errors about an import. */
function importLine(file: string, specifier: string): number {
  const code = table.sourceOf(file)?.code ?? "";
  const at = code.search(new RegExp(`["']${specifier.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}["']`));
  return at < 0 ? 1 : code.slice(0, at).split("\n").length;
}

/** Files reachable from `entry` through project imports. */
function reachable(entry: string): string[] {
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const dep of table.sourceOf(file)?.projectImports ?? []) walk(dep);
  };
  walk(entry);
  return [...seen];
}

/** Check what the entry needs before importing it, so the failure is a sentence with a file:line, not a fetch error. */
async function prepare(entry: string): Promise<void> {
  const files = reachable(entry);
  for (const file of files) {
    const source = table.sourceOf(file);
    if (!source) {
      const importer = files.find((f) => table.sourceOf(f)?.projectImports.includes(file));
      const where = importer ? { file: importer, line: importLine(importer, `/@project/${file}`), column: 0 } : undefined;
      throw Object.assign(new Error(importer ? `${importer} imports "${file}", which is not in the project` : `the entry file "${entry}" is not in the project`), { where });
    }
  }
  const specifiers = files.flatMap((file) => table.sourceOf(file)!.packageImports.map((specifier) => ({ file, specifier })));
  try {
    await packages!.ensure(specifiers.map((s) => s.specifier));
  } catch (error) {
    if (!(error instanceof MissingPackageError)) throw error;
    const user = specifiers.find((s) => s.specifier === error.specifier);
    throw Object.assign(error, { where: user ? { file: user.file, line: importLine(user.file, error.specifier), column: 0 } : undefined });
  }
}

/**
 * `import()` of a URL or bare specifier known only at run time. Behind a function so the bundler leaves it to the browser
 * (and its import maps) instead of bundling a second React into this script.
 */
function importModule(specifier: string): Promise<unknown> {
  return import(specifier);
}

/** True for what React can render as a component: a function, or a memo / forwardRef / lazy object. */
function isComponent(value: unknown): boolean {
  return typeof value === "function" || (typeof value === "object" && value !== null && "$$typeof" in value);
}

function rootElement(): HTMLElement {
  let element = document.getElementById("root");
  if (!element) {
    element = document.createElement("div");
    element.id = "root";
    document.body.append(element);
  }
  return element;
}

let react: Promise<[ReactApi, ReactDomClient, ReactDom]> | undefined;

/** React and react-dom through the frame's import map (the same instances as the app's), imported once. */
function reactApis(): Promise<[ReactApi, ReactDomClient, ReactDom]> {
  react ??= (async () => {
    await packages!.ensure(["react", "react-dom/client"]);
    return (await Promise.all([
      importModule("react"),
      importModule("react-dom/client"),
      importModule("react-dom").catch(() => ({})),
    ])) as [ReactApi, ReactDomClient, ReactDom];
  })();
  // A failure (the server has no React) is reported for this update and tried again on the next.
  react.catch(() => (react = undefined));
  return react;
}

/** The URL of each file as the running app was last mounted from it: a file whose URL differs was evaluated again. */
let mountedUrls = new Map<string, string>();
/** Counts fresh mounts of the app: the key of its element. */
let mounts = 0;
/** Set while a render tries to keep state; an error then is not reported but answered with a fresh mount. */
let refreshing: { failed: boolean } | undefined;

async function mount(update: UpdateMessage): Promise<void> {
  const url = table.urlOf(update.entry);
  await prepare(update.entry);
  const files = reachable(update.entry);
  const urls = new Map(files.map((file) => [file, table.urlOf(file)!]));
  // A plain module already ran from these very URLs: importing them again would not run it again, so what it put on the
  // page stays as it is (an update can carry the same code, say a change elsewhere in the project).
  if (mode === "module" && files.every((file) => mountedUrls.get(file) === urls.get(file))) return;
  if (mode === "module") rootElement().replaceChildren();
  refresh.install();
  refresh.begin();
  // The entry and, in the same wait, the namespaces of the other modules evaluated for this update: each import() of a
  // module already in the module map still resolves from a task of its own, so they are not awaited one after another.
  const [module, ...others] = (await Promise.all([
    importModule(url!),
    ...files.filter((file) => file !== update.entry && mountedUrls.get(file) !== urls.get(file)).map((file) => importModule(urls.get(file)!)),
  ])) as [{ default?: unknown }, ...Record<string, unknown>[]];
  const changed = mountedUrls.get(update.entry) !== url ? [module, ...others] : others;
  if (isComponent(module.default)) {
    const [React, ReactDomClient, ReactDom] = await reactApis();
    const keep = mode === "react" && root !== undefined && refresh.canKeepState(changed);
    if (mode !== "react" || !root) {
      root = ReactDomClient.createRoot(rootElement(), {
        // Errors thrown while rendering: React unmounts the tree; the next update renders afresh.
        onUncaughtError: (error) => (refreshing ? (refreshing.failed = true) : reportError("Runtime error", describe(error))),
      });
    }
    // A synchronous render, so "rendered" means the DOM shows this version (the host measures and tests rely on it). A
    // new key mounts the app afresh; the same key re-renders it with the state it has (same component types, new code).
    const render = () => {
      const element = React.createElement(module.default, { key: mounts });
      if (ReactDom.flushSync) ReactDom.flushSync(() => root!.render(element));
      else root!.render(element);
    };
    if (!keep) mounts++;
    refreshing = keep ? { failed: false } : undefined;
    try {
      render();
    } finally {
      const failed = refreshing?.failed;
      refreshing = undefined;
      // Keeping state threw (a change the hook signature did not show): mount afresh rather than leave it broken.
      if (failed) {
        mounts++;
        render();
      }
    }
    mode = "react";
  } else {
    root?.unmount();
    root = undefined;
    mode = "module";
  }
  mountedUrls = urls;
}

async function mountLatest(): Promise<void> {
  if (mounting) return;
  mounting = true;
  try {
    while (latest) {
      const update = latest;
      latest = undefined;
      try {
        overlay.hide();
        await mount(update);
        if (!overlay.visible) {
          table.revokeStale();
          post({ type: "spike:rendered", seq: update.seq, mode: mode ?? "module" });
        }
      } catch (error) {
        const where = (error as { where?: FrameError["location"] }).where;
        const described = describe(error);
        reportError(error instanceof MissingPackageError ? "Missing package" : "Error", where ? { ...described, location: where, stack: undefined } : described, update.seq);
      }
    }
  } finally {
    mounting = false;
  }
}

function onMessage(event: MessageEvent): void {
  // Only the window that embeds us, from the origin it was declared to have; anything else is ignored.
  if (!params || event.source !== parent || event.origin !== params.parent || !isHostMessage(event.data)) return;
  if (event.ports[0]) listenOnPort(event.ports[0]);
  receive(event.data);
}

/**
 * The port the host sends its next updates on (see PreviewChannel): only our parent can have handed it to us, so what
 * arrives on it is checked for shape only. A newer port replaces the old one.
 */
let updatePort: MessagePort | undefined;
function listenOnPort(port: MessagePort): void {
  updatePort?.close();
  updatePort = port;
  port.onmessage = (event) => isHostMessage(event.data) && receive(event.data);
}

/** Take in an update, from the window or the port. */
function receive(update: UpdateMessage): void {
  if ("packages" in update) usePackages(update.packages);
  const scopes = table.apply(update.versions, update.modules);
  if (Object.keys(scopes).length > 0) addImportMapToDocument({ scopes });
  latest = update;
  void mountLatest();
}

/**
 * Narrow the frame's script sources from what the static `_headers` CSP allows (any loopback or https origin, since it
 * cannot know the server; a plain static host sends none) to exactly this frame's server, or the folder of the bundle
 * for a local preview. A CSP in a <meta> only ever adds restrictions, and removing the element later does not lift them. 'unsafe-inline' is for the import maps (inline scripts); 'unsafe-eval' because user
 * code may eval: the code here is untrusted by definition, the CSP limits where code comes from, not what it does.
 */
function narrowScriptSources(server: string): void {
  const meta = document.createElement("meta");
  meta.httpEquiv = "Content-Security-Policy";
  // The trailing slash makes a folder a prefix (`https://cdn.example/spike/` allows the files under it).
  meta.content = `script-src 'self' blob: 'unsafe-inline' 'unsafe-eval' ${server}/`;
  document.head.prepend(meta);
}

/**
 * The offline set the host passed in its first update (a frame told `packages=host`): its modules become blob: URLs in
 * the import map, so nothing of it is fetched. A malformed field is said in the console and the set is fetched from the
 * server as usual; a malformed module fails where it is imported, as an error the host shows.
 */
function usePackages(passed: unknown): void {
  if (!isFramePackages(passed)) {
    post({ type: "spike:console", level: "warn", args: ["The host page passed malformed packages; loading them from the server"] });
    return;
  }
  packages!.seed(hostPackageImports(passed, (path) => packages!.resolve(path)));
}

/**
 * Fetch React's modules while the first build is still on its way (it comes from the host's build, which loads after the
 * frame starts), instead of one after another once the entry has run. A module preload only fetches and parses: nothing
 * runs until user code imports it, and a project without React wastes one download of bytes it never executes.
 */
function preloadReact(imports: Record<string, string>): void {
  for (const specifier of REACT_MODULES) {
    const href = imports[specifier];
    if (!href) continue;
    const link = document.createElement("link");
    link.rel = "modulepreload";
    link.href = href;
    document.head.append(link);
  }
}

function start(): void {
  if (!params) {
    document.body.textContent = "This page is the spike preview frame; it only works inside <spike-preview>.";
    return;
  }
  narrowScriptSources(params.server);
  keepOffline(params.parent, params.server);
  packages = new PackageImports(params.server);
  // A host that passes the offline set sends it with the first update; fetching it here would only race that.
  if (!params.hostPackages) void packages.offline().then(preloadReact);
  captureConsole((call) => post({ type: "spike:console", ...call }), (stack) => mapStack(stack, table));
  addEventListener("message", onMessage);
  addEventListener("error", (event) => reportError("Runtime error", describe(event.error ?? event.message)));
  addEventListener("unhandledrejection", (event) => reportError("Unhandled rejection", describe(event.reason)));
  post({ type: "spike:ready" });
}

start();
