/**
 * The light shell every heavy spike element extends: the `loading` mode, and when to load the element's live part (a
 * ReactiveController in its own chunk, which holds Monaco, the room socket, the preview build or the chat). Until then the
 * element draws its lite view: the code as highlighted text in the same box, so loading it shifts nothing.
 */
import type { PropertyValues, ReactiveController, ReactiveControllerHost } from "lit";
import { property, state } from "lit/decorators.js";
import { reportElementError } from "./error-reports.js";
import { injectLiteCss } from "./lite-styles.js";
import { RoomElement } from "./room-element.js";

/** When an element loads its live part: at once, near the viewport, or on a click (or Enter / Space on its button). */
export type Loading = "eager" | "lazy" | "click";

/** How far outside the viewport a `lazy` element starts loading, so it is usually live by the time it is seen. */
export const LAZY_MARGIN = "200px 0px";

/** What a live part gives its shell: it renders the element, and hears of each update. */
export interface LivePart extends ReactiveController {
  render(): unknown;
  updated?(changed: PropertyValues): void;
}

/**
 * A live part's rendered state: an object whose every assignment re-renders the host (what lit's @state does on an element).
 * @example #s = liveState(host, { sending: false }); this.#s.sending = true; // host re-renders
 */
export function liveState<T extends object>(host: ReactiveControllerHost, initial: T): T {
  return new Proxy(initial, {
    set(target, key, value) {
      Reflect.set(target, key, value);
      host.requestUpdate();
      return true;
    },
  });
}

/** One observer for every lazy element on the page. */
let observer: IntersectionObserver | undefined;
const waiting = new WeakMap<Element, () => void>();
function observe(element: Element, near: () => void): void {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer!.unobserve(entry.target);
        waiting.get(entry.target)?.();
      }
    },
    { rootMargin: LAZY_MARGIN },
  );
  waiting.set(element, near);
  observer.observe(element);
}
function unobserve(element: Element): void {
  waiting.delete(element);
  observer?.unobserve(element);
}

injectLiteCss();

/**
 * Extend it for an element with a live part: implement `createLive()` (a dynamic import, so the part is its own chunk),
 * render `this.live.render()` once it exists and its lite view before.
 * @example protected createLive() { return import("./internal/editor-live.js").then((m) => new m.EditorLive(this)); }
 */
export abstract class LiteElement<Live extends LivePart = LivePart> extends RoomElement {
  /**
   * When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
   * clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text.
   */
  @property() loading: Loading = "lazy";

  /** The live part, once loaded. */
  @state() protected live: Live | null = null;
  /** True from the moment loading starts (the lite view says "Loading…"). */
  @state() protected activating = false;
  /** Whether the reader asked with the keyboard, so the live part can take the focus when it is ready. */
  protected activatedByKeyboard = false;

  #loaded?: Promise<void>;
  #dark = matchMedia("(prefers-color-scheme: dark)");

  /** True once the live part has loaded (the element is no longer lite). */
  get isLive(): boolean {
    return this.live !== null;
  }

  /** The theme with `auto` resolved by `prefers-color-scheme`: the lite view's class (the live part has its own). */
  protected get scheme(): "light" | "dark" {
    const theme = this.theme;
    return theme === "dark" || (theme !== "light" && this.#dark.matches) ? "dark" : "light";
  }

  /**
   * Load the live part now, whatever `loading` says; resolves once it is in place (or rejects if its chunk failed to load).
   * @example await document.querySelector("spike-editor").load();
   */
  load(): Promise<void> {
    unobserve(this);
    this.activating = true;
    this.#loaded ??= this.createLive().then(
      (live) => {
        // The reader had the focus in the lite view (its code region): the live part takes it over.
        if (this.shadowRoot?.activeElement) this.activatedByKeyboard = true;
        this.addController(live);
        this.live = live;
      },
      (error: Error) => {
        this.#loaded = undefined;
        this.activating = false;
        throw error;
      },
    );
    return this.#loaded;
  }

  /**
   * Whether the live part should take the focus once ready (the reader opened it from the keyboard); true once only.
   * @internal
   */
  takeFocus(): boolean {
    const keyboard = this.activatedByKeyboard;
    this.activatedByKeyboard = false;
    return keyboard;
  }

  /** Import the live part's module and create it for this element (not yet added: load() adds it). */
  protected abstract createLive(): Promise<Live>;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#dark.addEventListener("change", this.#onScheme);
    // Back on the page while still lite: updated() watches the viewport again.
    if (this.hasUpdated && !this.live) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#dark.removeEventListener("change", this.#onScheme);
    unobserve(this);
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.live) {
      this.live.updated?.(changed);
    } else if (this.isConnected && !this.activating) {
      if (this.loading === "eager") void this.#start();
      else if (this.loading === "click") unobserve(this);
      else observe(this, () => void this.#start());
    }
  }

  /**
   * The reader clicked the lite view (or pressed its button): load, unless the click ended a text selection.
   * Bind it as `@click=${this.activate}` on the lite view.
   */
  protected activate = (event: Event): void => {
    if (this.activating) return;
    // Dragging to select code ends in a click too; that reader wants the text, not the editor.
    if (event instanceof MouseEvent && event.detail > 0 && getSelection()?.isCollapsed === false) return;
    // A click from a key (Enter or Space on the button) has no pointer position.
    this.activatedByKeyboard = event instanceof MouseEvent && event.detail === 0;
    void this.#start();
  };

  #start(): Promise<void> {
    return this.load().catch((error: Error) => {
      console.error(`<${this.localName}>: could not load: ${error.message}`);
      reportElementError(this, "load", error);
    });
  }

  #onScheme = (): void => {
    if (!this.live) this.requestUpdate();
  };
}
