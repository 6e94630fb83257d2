/**
 * The base of every spike element: what it is told (room, server, project, theme, sign-in), by its own attributes and
 * properties or else by the nearest `<spike-room>` around it (@lit/context). Each property reads what the element uses,
 * so `editor.room` inside `<spike-room room="r">` is "r"; what the element does with it is elements/internal/room-frame.ts.
 */
import { ContextConsumer, ContextRoot, createContext } from "@lit/context";
import { LitElement, type PropertyDeclaration } from "lit";
import { property } from "lit/decorators.js";
import type { TokenSource } from "../../core/index.js";
import { roomKeyFromFragment } from "../../core/room-key.js";
import { isValidRoomId } from "../../core/room-limits.js";
import type { ClerkInstance } from "./clerk-loader.js";
import { reportElementError } from "./error-reports.js";
import { FORK_CHANGED, forkChanges, forkOf, resetFork, templateOf, type ForkChange, type ForkMode } from "./room-forks.js";

/** The origin spike.js was loaded from: the default server, so a third-party page embedding our script talks to us. */
export const BUNDLE_ORIGIN = new URL(import.meta.url).origin;

/** A colour scheme: `auto` follows `prefers-color-scheme`. */
export type Theme = "light" | "dark" | "auto";

/** The sign-in properties, which an element takes as one set: its own if it sets any, else its `<spike-room>`'s. */
export interface SignIn {
  getToken?: TokenSource | undefined;
  clerk?: ClerkInstance | undefined;
  clerkPublishableKey?: string | undefined;
  clerkJsUrl?: string | undefined;
}

/** What a `<spike-room>` hands the elements inside it: what it uses itself (its own settings or its ancestor's). */
export interface RoomSettings {
  room: string | undefined;
  project: string | undefined;
  server: string;
  theme: Theme;
  /** Keep the room in IndexedDB (the `persist` attribute). */
  persist: boolean;
  /** `auto`: a reader's first keystroke in a read-only room forks it for them (the `fork` attribute). */
  fork?: ForkMode | undefined;
  /** The saved version of the room shown, read-only (the `version` attribute), or undefined for the live room. */
  version: number | undefined;
  /** The room's end-to-end key as given (the `key` attribute), `fragment` included, or undefined for a plaintext room. */
  key?: string | undefined;
  signIn: SignIn;
}

/**
 * The room context: `<spike-room>` provides it, every element consumes it.
 * @example new ContextProvider(this, { context: roomContext, initialValue: undefined });
 */
export const roomContext = createContext<RoomSettings | undefined>(Symbol("spike-room"));

// An element that asked before its provider was defined (a page that loads <spike-room> later) is answered once the
// provider appears: ContextRoot keeps the unanswered requests and replays them.
new ContextRoot().attach(document.documentElement);

type Own = { room?: string; project?: string; server?: string; theme?: Theme; persist?: boolean; fork?: ForkMode; version?: number; key?: string } & SignIn;
const SIGN_IN = ["getToken", "clerk", "clerkPublishableKey", "clerkJsUrl"] as const;
const SETTINGS = ["room", "project", "server", "theme", "persist", "fork", "version", "key", ...SIGN_IN] as const;
/** The attributes that mirror an own value (set here by hand: lit would reflect an inherited value as our own). */
const REFLECTED = new Set<keyof Own>(["room", "project", "theme", "version"]);
/** Options for every update request here: never let lit reflect (see REFLECTED). */
const QUIET: PropertyDeclaration = {};

/**
 * Extend it for a spike element: `class SpikeEditor extends RoomElement`. A value the element was given itself wins;
 * the room and project come from `<spike-room>` only when the element names neither.
 */
export class RoomElement extends LitElement {
  #own: Own = {};
  #inherited: RoomSettings | undefined;
  #answered = false;

  constructor() {
    super();
    new ContextConsumer(this, {
      context: roomContext,
      subscribe: true,
      callback: (settings) => {
        this.#answered = true;
        this.#inherit(settings);
      },
    });
  }

  /**
   * An exception in the element's own update (render, updated, its controllers): reported when the page opts in
   * (elements/internal/error-reports.ts), then thrown on as lit would.
   */
  protected override scheduleUpdate(): void | Promise<unknown> {
    try {
      return super.scheduleUpdate();
    } catch (error) {
      reportElementError(this, "update", error);
      throw error;
    }
  }

  override connectedCallback(): void {
    this.#answered = false;
    // The consumer asks for a room here; a <spike-room> around us answers at once. Nobody answering means we are not
    // (or no longer, after a move) inside one.
    super.connectedCallback();
    if (!this.#answered) this.#inherit(undefined);
    forkChanges.addEventListener(FORK_CHANGED, this.#onFork);
    addEventListener("hashchange", this.#onHash);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    forkChanges.removeEventListener(FORK_CHANGED, this.#onFork);
    removeEventListener("hashchange", this.#onHash);
  }

  /** `key="fragment"`: a new `#spike-key=` in the page URL is a new key (the frame reopens the room with it). */
  #onHash = (): void => {
    if (this.key === "fragment") this.requestUpdate("key", Symbol("fragment changed"), QUIET);
  };

  /**
   * Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
   * that room; an element in no room edits or shows a local project seeded from its inline files.
   */
  @property({ reflect: true, noAccessor: true })
  get room(): string | undefined {
    const given = this.#givenRoom();
    if (given === undefined || this.fork !== "auto") return given;
    return forkOf(this.server, templateOf(this.server, given) ?? given) ?? given;
  }
  set room(value: string | null | undefined) {
    if (DEV_MODE && value && !isValidRoomId(value)) {
      console.warn(`<${this.localName}>: room "${value}" is not a room id (1-64 of [A-Za-z0-9_-]); the server refuses it`);
    }
    this.#setOwn("room", value);
  }

  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  @property({ reflect: true, noAccessor: true })
  get project(): string | undefined {
    return this.#own.project ?? (this.#own.room ? undefined : this.#inherited?.project);
  }
  set project(value: string | null | undefined) {
    this.#setOwn("project", value);
  }

  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  @property({ noAccessor: true })
  get server(): string {
    return this.#own.server ?? this.#inherited?.server ?? BUNDLE_ORIGIN;
  }
  set server(value: string | null | undefined) {
    this.#setOwn("server", value);
  }

  /**
   * Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
   * Defaults to the `<spike-room>`'s, else `auto`.
   */
  @property({ reflect: true, noAccessor: true })
  get theme(): "light" | "dark" | "auto" {
    return this.#own.theme ?? this.#inherited?.theme ?? "auto";
  }
  set theme(value: Theme | null | undefined) {
    this.#setOwn("theme", value);
  }

  /**
   * Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
   * will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
   * holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
   * The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
   * computers.
   */
  @property({ type: Boolean, noAccessor: true })
  get persist(): boolean {
    return this.#own.persist ?? this.#inherited?.persist ?? false;
  }
  set persist(value: boolean | null | undefined) {
    // Only ever adds: an element without the attribute uses its <spike-room>'s.
    this.#setOwn("persist", value ? true : undefined);
  }

  /**
   * `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
   * room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
   * the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
   * reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
   * `<spike-playground>`, it holds for the elements inside.
   */
  @property({ noAccessor: true })
  get fork(): ForkMode | undefined {
    return this.#own.fork ?? this.#inherited?.fork;
  }
  set fork(value: string | null | undefined) {
    this.#setOwn("fork", value === "auto" ? "auto" : undefined);
  }

  /** The template room: the room as given, before `fork="auto"` put the reader's fork in its place. */
  get templateRoom(): string | undefined {
    const given = this.#givenRoom();
    return given === undefined ? undefined : (templateOf(this.server, given) ?? given);
  }

  /** True while `fork="auto"` shows the reader's fork of the template instead of the template. */
  get forked(): boolean {
    return this.fork === "auto" && this.room !== this.templateRoom;
  }

  /**
   * "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   * @example editor.resetFork();
   */
  resetFork(): void {
    const template = this.templateRoom;
    if (template) resetFork(this.server, template);
  }

  /** The room as the attribute or the `<spike-room>` gives it. */
  #givenRoom(): string | undefined {
    return this.#own.room ?? (this.#own.project ? undefined : this.#inherited?.room);
  }

  /** A template's fork changed: an element of that template re-reads its room (and the frame opens the new one). */
  #onFork = (event: Event): void => {
    const { server, template } = (event as CustomEvent<ForkChange>).detail;
    if (this.fork !== "auto" || this.templateRoom !== template || this.server !== server) return;
    this.requestUpdate("room", Symbol("fork changed"), QUIET);
  };

  /**
   * A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
   * that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
   * changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
   * with its room. Anything but a whole number from 1 shows an error instead.
   */
  @property({ reflect: true, noAccessor: true })
  get version(): number | undefined {
    return this.#own.version ?? (this.#own.room || this.#own.project ? undefined : this.#inherited?.version);
  }
  set version(value: number | string | null | undefined) {
    this.#setOwn("version", value === null || value === undefined || value === "" ? undefined : Number(value));
  }

  /**
   * The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
   * `#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
   * encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
   * with its room. Not reflected to the attribute.
   */
  @property({ noAccessor: true })
  get key(): string | undefined {
    return this.#own.key ?? (this.#own.room || this.#own.project ? undefined : this.#inherited?.key);
  }
  set key(value: string | null | undefined) {
    this.#setOwn("key", value);
  }

  /** The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). */
  get roomKey(): string | undefined {
    const key = this.key;
    return key === "fragment" ? (roomKeyFromFragment(location.hash) ?? undefined) : key;
  }

  /**
   * Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
   * expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
   * An element that sets none of the four sign-in properties uses its `<spike-room>`'s four.
   */
  @property({ attribute: false, noAccessor: true })
  get getToken(): TokenSource | undefined {
    return this.#signIn().getToken;
  }
  set getToken(value: TokenSource | null | undefined) {
    this.#setOwn("getToken", value);
  }

  /**
   * A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
   * offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key.
   */
  @property({ attribute: false, noAccessor: true })
  get clerk(): ClerkInstance | undefined {
    return this.#signIn().clerk;
  }
  set clerk(value: ClerkInstance | null | undefined) {
    this.#setOwn("clerk", value);
  }

  /**
   * Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
   * server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
   * is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
   * server); for a different key given here, sign-in is unavailable and a console warning says why.
   */
  @property({ attribute: "clerk-publishable-key", noAccessor: true })
  get clerkPublishableKey(): string | undefined {
    return this.#signIn().clerkPublishableKey;
  }
  set clerkPublishableKey(value: string | null | undefined) {
    this.#setOwn("clerkPublishableKey", value);
  }

  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  @property({ attribute: "clerk-js-url", noAccessor: true })
  get clerkJsUrl(): string | undefined {
    return this.#signIn().clerkJsUrl;
  }
  set clerkJsUrl(value: string | null | undefined) {
    this.#setOwn("clerkJsUrl", value);
  }

  /** The sign-in set in use: this element's own if it sets any sign-in property, else its `<spike-room>`'s. */
  #signIn(): SignIn {
    const own = this.#own;
    return SIGN_IN.some((name) => own[name] !== undefined) ? own : (this.#inherited?.signIn ?? {});
  }

  #setOwn<K extends keyof Own>(name: K, value: Own[K] | null | undefined): void {
    const before = this[name];
    this.#own[name] = value === null || value === "" ? undefined : value;
    this.requestUpdate(name, before, QUIET);
    if (!REFLECTED.has(name)) return;
    // Mirror the attribute only when it differs, so the attributeChangedCallback this causes ends here.
    if (value === null || value === undefined) {
      if (this.hasAttribute(name)) this.removeAttribute(name);
    } else if (this.getAttribute(name) !== String(value)) {
      this.setAttribute(name, String(value));
    }
  }

  /** Take the settings of the `<spike-room>` around us (undefined: none), updating each value that changes with them. */
  #inherit(settings: RoomSettings | undefined): void {
    const before = SETTINGS.map((name) => this[name]);
    this.#inherited = settings;
    SETTINGS.forEach((name, i) => this.requestUpdate(name, before[i], QUIET));
  }
}
