/**
 * The frame half of keeping component state across edits (the build half is core/build/refresh.ts). Each registered
 * component id gets one stable function that calls the newest implementation, so React sees the same component type
 * after an edit and keeps its hooks' state; the new code runs on the next render. Fast Refresh proper (react-refresh)
 * needs React's development build, whose renderer alone has the refresh entry points (scheduleRefresh is compiled out of
 * the production one); the preview runs the production build (react-dom/client: 66 KB gzip, against ~200 KB for the
 * development build), where a stable component type is the way to keep state. An edit that cannot keep
 * state (a component's hook signature changed, or a module exporting something other than components changed) asks for
 * a fresh mount instead, as react-refresh does.
 */

/** One component id: its stable stand-in, the implementation it calls now, and that implementation's hook signature. */
interface Family {
  proxy: (...args: unknown[]) => unknown;
  impl: (...args: unknown[]) => unknown;
  signature: string;
}

/**
 * The registry the transpiled modules call through `globalThis.__spikeRefresh` (REFRESH_GLOBAL in core/build).
 * @example const refresh = new RefreshRegistry(); refresh.install(); refresh.begin(); await import(url); refresh.end().remount
 */
export class RefreshRegistry {
  #families = new Map<string, Family>();
  #proxies = new WeakSet<object>();
  #remount = false;

  /** Make the registry the one transpiled modules call. */
  install(): void {
    (globalThis as Record<string, unknown>).__spikeRefresh = this;
  }

  /**
   * Called by transpiled modules for each top-level component: returns the stable component for `id`. A value that is
   * not a plain function (a class, or anything else bound to a capitalised name) is returned unchanged.
   */
  register<T>(impl: T, id: string, signature: string): T {
    if (typeof impl !== "function" || /^class[\s{]/.test(Function.prototype.toString.call(impl))) return impl;
    const family = this.#families.get(id);
    if (family) {
      if (family.signature !== signature) this.#remount = true;
      family.impl = impl as Family["impl"];
      family.signature = signature;
      return family.proxy as T;
    }
    const created: Family = { impl: impl as Family["impl"], signature, proxy: () => undefined };
    created.proxy = function (this: unknown, ...args: unknown[]) {
      return created.impl.apply(this, args);
    };
    Object.defineProperty(created.proxy, "name", { value: id.slice(id.lastIndexOf(" ") + 1) });
    this.#proxies.add(created.proxy);
    this.#families.set(id, created);
    return created.proxy as T;
  }

  /** True for a stable component this registry made. */
  isComponent(value: unknown): boolean {
    return typeof value === "function" && this.#proxies.has(value);
  }

  /** Start an update: forget what the last one asked for. */
  begin(): void {
    this.#remount = false;
  }

  /**
   * Whether the modules of an update can keep the running state: not if a component's hooks changed, or a changed module
   * (its namespace given) exports anything but registered components, since state may hold a value it exported before.
   */
  canKeepState(changedModules: Iterable<Record<string, unknown>>): boolean {
    if (this.#remount) return false;
    for (const namespace of changedModules) {
      for (const value of Object.values(namespace)) if (!this.isComponent(value)) return false;
    }
    return true;
  }
}
