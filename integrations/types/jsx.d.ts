import type {
  SpikeChat,
  SpikeConsole,
  SpikeEditor,
  SpikePlayground,
  SpikePreview,
  SpikeRoom,
  SpikeTabs,
  SpikeVersions,
  SpikeMessageDetail,
  SpikeAuthRequiredDetail,
  SpikeRoomCreatedDetail,
  SpikeNavigateDetail,
  SpikeChangeDetail,
  SpikeStatusDetail,
  SpikeForkDetail,
  SpikeForkErrorDetail,
  SpikeRenderDetail,
  SpikeErrorDetail,
  SpikeConsoleDetail,
  SpikeFileSelectDetail,
  SpikeSaveDetail,
  SpikeRestoreDetail,
  SpikeCopyDetail,
} from "spike";

/**
 * This type can be used to create scoped tags for your components.
 *
 * Usage:
 *
 * ```ts
 * import type { ScopedElements } from "path/to/library/jsx-integration";
 *
 * declare module "my-library" {
 *   namespace JSX {
 *     interface IntrinsicElements
 *       extends ScopedElements<'test-', ''> {}
 *   }
 * }
 * ```
 *
 * @deprecated Runtime scoped elements result in duplicate types and can confusing for developers. It is recommended to use the `prefix` and `suffix` options to generate new types instead.
 */
export type ScopedElements<
  Prefix extends string = "",
  Suffix extends string = "",
> = {
  [
    Key in keyof CustomElements as `${Prefix}${Key}${Suffix}`
  ]: CustomElements[Key];
};

/**
 * A generic type for strongly typing custom events with their targets
 * @template T - The type of the event target (extends EventTarget)
 * @template D - The type of the detail payload for the custom event
 */
type TypedEvent<T extends EventTarget, E = Event> = E & {
  target: T;
};

type BaseProps<T extends HTMLElement> = {
  /** Content added between the opening and closing tags of the element */
  children?: any | undefined;
  /** Used for declaratively styling one or more elements using CSS (Cascading Stylesheets) */
  class?: string | undefined;
  /** Used for declaratively styling one or more elements using CSS (Cascading Stylesheets) */
  className?: string | undefined;
  /** Takes an object where the key is the class name(s) and the value is a boolean expression. When true, the class is applied, and when false, it is removed. */
  classList?: Record<string, boolean | undefined> | undefined;
  /** Specifies the text direction of the element. */
  dir?: "ltr" | "rtl" | undefined;
  /** Contains a space-separated list of the part names of the element that should be exposed on the host element. */
  exportparts?: string | undefined;
  /** For <label> and <output>, lets you associate the label with some control. */
  htmlFor?: string | undefined;
  /** Specifies whether the element should be hidden. */
  hidden?: boolean | string | undefined;
  /** A unique identifier for the element. */
  id?: string | undefined;
  /** Keys tell React which array item each component corresponds to */
  key?: string | number | undefined;
  /** Specifies the language of the element. */
  lang?: string | undefined;
  /** Defines the element's semantic role for accessibility APIs. */
  role?: string | undefined;
  /** Contains a space-separated list of the part names of the element. Part names allows CSS to select and style specific elements in a shadow tree via the ::part pseudo-element. */
  part?: string | undefined;
  /** Use the ref attribute with a variable to assign a DOM element to the variable once the element is rendered. */
  ref?: (T | ((e: T) => void)) | undefined;
  /** Adds a reference for a custom element slot */
  slot?: string | undefined;
  /** Prop for setting inline styles */
  style?: Record<string, string | number> | undefined;
  /** Overrides the default Tab button behavior. Avoid using values other than -1 and 0. */
  tabIndex?: number | undefined;
  /** Specifies the tooltip text for the element. */
  title?: string | undefined;
  /** Passing 'no' excludes the element content from being translated. */
  translate?: "yes" | "no" | undefined;
  /** The popover global attribute is used to designate an element as a popover element. */
  popover?: "auto" | "hint" | "manual" | undefined;
  /** Turns an element element into a popover control button; takes the ID of the popover element to control as its value. */
  popovertarget?: "top" | "bottom" | "left" | "right" | "auto" | undefined;
  /** Specifies the action to be performed on a popover element being controlled by a control element. */
  popovertargetaction?: "show" | "hide" | "toggle" | undefined;
};

type BaseEvents = {};

/** `SpikeChat` component event */
export type SpikeChatElementEvent<E = Event> = TypedEvent<SpikeChat, E>;
/** `spike-message` event type */
export type SpikeChatSpikeMessageElementEvent = SpikeChatElementEvent<
  CustomEvent<SpikeMessageDetail>
>;
/** `spike-auth-required` event type */
export type SpikeChatSpikeAuthRequiredElementEvent = SpikeChatElementEvent<
  CustomEvent<SpikeAuthRequiredDetail>
>;
/** `spike-room-created` event type */
export type SpikeChatSpikeRoomCreatedElementEvent = SpikeChatElementEvent<
  CustomEvent<SpikeRoomCreatedDetail>
>;

export type SpikeChatProps = {
  /** The model to ask, e.g. `gpt-4o-mini`, `gpt-4.1`, `claude-sonnet-4-5`, `claude-haiku-4-5`. */
  model?: SpikeChat["model"] | undefined;
  /** The name shown on this user's messages. Defaults to the user's name in the room (as on their cursor). */
  author?: SpikeChat["author"] | undefined;
  /** When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text. */
  loading?: SpikeChat["loading"] | undefined;
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  room?: SpikeChat["room"] | undefined;
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  project?: SpikeChat["project"] | undefined;
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  server?: SpikeChat["server"] | undefined;
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  theme?: SpikeChat["theme"] | undefined;
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  persist?: SpikeChat["persist"] | undefined;
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  fork?: SpikeChat["fork"] | undefined;
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  version?: SpikeChat["version"] | undefined;
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  key?: SpikeChat["key"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "clerk-publishable-key"?: SpikeChat["clerkPublishableKey"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  clerkPublishableKey?: SpikeChat["clerkPublishableKey"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "clerk-js-url"?: SpikeChat["clerkJsUrl"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  clerkJsUrl?: SpikeChat["clerkJsUrl"] | undefined;
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  getToken?: SpikeChat["getToken"] | undefined;
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  clerk?: SpikeChat["clerk"] | undefined;

  /** A message appeared in the chat (sent here, by another user, the assistant's reply starting, or an AI agent's change: role `agent`). Detail: `{ id, role }`. */
  "onspike-message"?:
    ((e: SpikeChatSpikeMessageElementEvent) => void) | undefined;
  /** The room refused the connection. Detail: `{ room, code, reason }` (4401 sign-in needed, 4403 no access). */
  "onspike-auth-required"?:
    ((e: SpikeChatSpikeAuthRequiredElementEvent) => void) | undefined;
  /** This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`). Until it loads (see `loading`) it shows an empty log in the same box, with an "Open chat" button in `click` mode. */
  "onspike-room-created"?:
    ((e: SpikeChatSpikeRoomCreatedElementEvent) => void) | undefined;
};

export type SpikeChatSolidJsProps = {
  /** The model to ask, e.g. `gpt-4o-mini`, `gpt-4.1`, `claude-sonnet-4-5`, `claude-haiku-4-5`. */
  "prop:model"?: SpikeChat["model"] | undefined;
  /** The name shown on this user's messages. Defaults to the user's name in the room (as on their cursor). */
  "prop:author"?: SpikeChat["author"] | undefined;
  /** When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text. */
  "prop:loading"?: SpikeChat["loading"] | undefined;
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  "prop:room"?: SpikeChat["room"] | undefined;
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  "prop:project"?: SpikeChat["project"] | undefined;
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  "prop:server"?: SpikeChat["server"] | undefined;
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  "prop:theme"?: SpikeChat["theme"] | undefined;
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  "prop:persist"?: SpikeChat["persist"] | undefined;
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  "prop:fork"?: SpikeChat["fork"] | undefined;
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  "prop:version"?: SpikeChat["version"] | undefined;
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  "prop:key"?: SpikeChat["key"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "attr:clerk-publishable-key"?: SpikeChat["clerkPublishableKey"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "prop:clerkPublishableKey"?: SpikeChat["clerkPublishableKey"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "attr:clerk-js-url"?: SpikeChat["clerkJsUrl"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "prop:clerkJsUrl"?: SpikeChat["clerkJsUrl"] | undefined;
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  "prop:getToken"?: SpikeChat["getToken"] | undefined;
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  "prop:clerk"?: SpikeChat["clerk"] | undefined;
  /** A message appeared in the chat (sent here, by another user, the assistant's reply starting, or an AI agent's change: role `agent`). Detail: `{ id, role }`. */
  "on:spike-message"?:
    ((e: SpikeChatSpikeMessageElementEvent) => void) | undefined;
  /** The room refused the connection. Detail: `{ room, code, reason }` (4401 sign-in needed, 4403 no access). */
  "on:spike-auth-required"?:
    ((e: SpikeChatSpikeAuthRequiredElementEvent) => void) | undefined;
  /** This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`). Until it loads (see `loading`) it shows an empty log in the same box, with an "Open chat" button in `click` mode. */
  "on:spike-room-created"?:
    ((e: SpikeChatSpikeRoomCreatedElementEvent) => void) | undefined;

  /** Set the innerHTML of the element */
  innerHTML?: string | undefined;
  /** Set the textContent of the element */
  textContent?: string | number | undefined;
};

/** `SpikeConsole` component event */
export type SpikeConsoleElementEvent<E = Event> = TypedEvent<SpikeConsole, E>;
/** `spike-navigate` event type */
export type SpikeConsoleSpikeNavigateElementEvent = SpikeConsoleElementEvent<
  CustomEvent<SpikeNavigateDetail>
>;

export type SpikeConsoleProps = {
  /** The id of the `<spike-preview>` to show (in the same document or shadow root). Without it: every preview of the same room or project there. */
  for?: SpikeConsole["for"] | undefined;
  /** The id of the `<spike-editor>` a file:line link reveals in. Without it: the first editor of the same room or project showing that file, else the first one. */
  editor?: SpikeConsole["editor"] | undefined;
  /** How many lines to keep; the oldest go first, and a note says how many went. */
  "max-lines"?: SpikeConsole["maxLines"] | undefined;
  /** How many lines to keep; the oldest go first, and a note says how many went. */
  maxLines?: SpikeConsole["maxLines"] | undefined;
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  room?: SpikeConsole["room"] | undefined;
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  project?: SpikeConsole["project"] | undefined;
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  server?: SpikeConsole["server"] | undefined;
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  theme?: SpikeConsole["theme"] | undefined;
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  persist?: SpikeConsole["persist"] | undefined;
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  fork?: SpikeConsole["fork"] | undefined;
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  version?: SpikeConsole["version"] | undefined;
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  key?: SpikeConsole["key"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "clerk-publishable-key"?: SpikeConsole["clerkPublishableKey"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  clerkPublishableKey?: SpikeConsole["clerkPublishableKey"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "clerk-js-url"?: SpikeConsole["clerkJsUrl"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  clerkJsUrl?: SpikeConsole["clerkJsUrl"] | undefined;
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  getToken?: SpikeConsole["getToken"] | undefined;
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  clerk?: SpikeConsole["clerk"] | undefined;

  /** A file:line link was clicked. Detail: `{ file, line, column }` (1-based). Cancelable: unless a listener calls preventDefault(), the console calls `reveal()` on the editor beside it. */
  "onspike-navigate"?:
    ((e: SpikeConsoleSpikeNavigateElementEvent) => void) | undefined;
};

export type SpikeConsoleSolidJsProps = {
  /** The id of the `<spike-preview>` to show (in the same document or shadow root). Without it: every preview of the same room or project there. */
  "prop:for"?: SpikeConsole["for"] | undefined;
  /** The id of the `<spike-editor>` a file:line link reveals in. Without it: the first editor of the same room or project showing that file, else the first one. */
  "prop:editor"?: SpikeConsole["editor"] | undefined;
  /** How many lines to keep; the oldest go first, and a note says how many went. */
  "attr:max-lines"?: SpikeConsole["maxLines"] | undefined;
  /** How many lines to keep; the oldest go first, and a note says how many went. */
  "prop:maxLines"?: SpikeConsole["maxLines"] | undefined;
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  "prop:room"?: SpikeConsole["room"] | undefined;
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  "prop:project"?: SpikeConsole["project"] | undefined;
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  "prop:server"?: SpikeConsole["server"] | undefined;
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  "prop:theme"?: SpikeConsole["theme"] | undefined;
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  "prop:persist"?: SpikeConsole["persist"] | undefined;
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  "prop:fork"?: SpikeConsole["fork"] | undefined;
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  "prop:version"?: SpikeConsole["version"] | undefined;
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  "prop:key"?: SpikeConsole["key"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "attr:clerk-publishable-key"?:
    SpikeConsole["clerkPublishableKey"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "prop:clerkPublishableKey"?: SpikeConsole["clerkPublishableKey"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "attr:clerk-js-url"?: SpikeConsole["clerkJsUrl"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "prop:clerkJsUrl"?: SpikeConsole["clerkJsUrl"] | undefined;
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  "prop:getToken"?: SpikeConsole["getToken"] | undefined;
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  "prop:clerk"?: SpikeConsole["clerk"] | undefined;
  /** A file:line link was clicked. Detail: `{ file, line, column }` (1-based). Cancelable: unless a listener calls preventDefault(), the console calls `reveal()` on the editor beside it. */
  "on:spike-navigate"?:
    ((e: SpikeConsoleSpikeNavigateElementEvent) => void) | undefined;

  /** Set the innerHTML of the element */
  innerHTML?: string | undefined;
  /** Set the textContent of the element */
  textContent?: string | number | undefined;
};

/** `SpikeEditor` component event */
export type SpikeEditorElementEvent<E = Event> = TypedEvent<SpikeEditor, E>;
/** `spike-change` event type */
export type SpikeEditorSpikeChangeElementEvent = SpikeEditorElementEvent<
  CustomEvent<SpikeChangeDetail>
>;
/** `spike-status` event type */
export type SpikeEditorSpikeStatusElementEvent = SpikeEditorElementEvent<
  CustomEvent<SpikeStatusDetail>
>;
/** `spike-auth-required` event type */
export type SpikeEditorSpikeAuthRequiredElementEvent = SpikeEditorElementEvent<
  CustomEvent<SpikeAuthRequiredDetail>
>;
/** `spike-fork` event type */
export type SpikeEditorSpikeForkElementEvent = SpikeEditorElementEvent<
  CustomEvent<SpikeForkDetail>
>;
/** `spike-fork-error` event type */
export type SpikeEditorSpikeForkErrorElementEvent = SpikeEditorElementEvent<
  CustomEvent<SpikeForkErrorDetail>
>;
/** `spike-room-created` event type */
export type SpikeEditorSpikeRoomCreatedElementEvent = SpikeEditorElementEvent<
  CustomEvent<SpikeRoomCreatedDetail>
>;

export type SpikeEditorProps = {
  /** The project file to edit. */
  file?: SpikeEditor["file"] | undefined;
  /** Show the file without allowing edits. */
  readonly?: SpikeEditor["readonly"] | undefined;
  /** When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text. */
  loading?: SpikeEditor["loading"] | undefined;
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  room?: SpikeEditor["room"] | undefined;
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  project?: SpikeEditor["project"] | undefined;
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  server?: SpikeEditor["server"] | undefined;
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  theme?: SpikeEditor["theme"] | undefined;
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  persist?: SpikeEditor["persist"] | undefined;
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  fork?: SpikeEditor["fork"] | undefined;
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  version?: SpikeEditor["version"] | undefined;
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  key?: SpikeEditor["key"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "clerk-publishable-key"?: SpikeEditor["clerkPublishableKey"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  clerkPublishableKey?: SpikeEditor["clerkPublishableKey"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "clerk-js-url"?: SpikeEditor["clerkJsUrl"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  clerkJsUrl?: SpikeEditor["clerkJsUrl"] | undefined;
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  getToken?: SpikeEditor["getToken"] | undefined;
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  clerk?: SpikeEditor["clerk"] | undefined;

  /** The file's text changed, locally or by another user. Detail: `{ file, text, remote }`. */
  "onspike-change"?:
    ((e: SpikeEditorSpikeChangeElementEvent) => void) | undefined;
  /** The connection state changed, or who else is here and how they are reached. Detail: `{ status, peers }`: `connecting | connected | offline | local`, and `{ clientId, name, transport: "webrtc" | "websocket" }` per other client. */
  "onspike-status"?:
    ((e: SpikeEditorSpikeStatusElementEvent) => void) | undefined;
  /** The room refused the connection. Detail: `{ room, code, reason }`: code 4401 needs sign-in (or a fresh token), 4403 means the signed-in user has no access. A new token source or a sign-in reconnects. */
  "onspike-auth-required"?:
    ((e: SpikeEditorSpikeAuthRequiredElementEvent) => void) | undefined;
  /** With `fork="auto"`, the reader's typing in the read-only template moved them to their own fork. Detail: `{ room, template }`. */
  "onspike-fork"?: ((e: SpikeEditorSpikeForkElementEvent) => void) | undefined;
  /** With `fork="auto"`, forking the template failed (say, the room-creation limit). Detail: `{ template, message }`. */
  "onspike-fork-error"?:
    ((e: SpikeEditorSpikeForkErrorElementEvent) => void) | undefined;
  /** This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`). Until it loads (see `loading`) it shows the file as highlighted, selectable text in the same box (the lite view), from its inline sources, or (in `click` mode, for a room) the file's text over HTTP (no socket), else a placeholder. */
  "onspike-room-created"?:
    ((e: SpikeEditorSpikeRoomCreatedElementEvent) => void) | undefined;
};

export type SpikeEditorSolidJsProps = {
  /** The project file to edit. */
  "prop:file"?: SpikeEditor["file"] | undefined;
  /** Show the file without allowing edits. */
  "prop:readonly"?: SpikeEditor["readonly"] | undefined;
  /** When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text. */
  "prop:loading"?: SpikeEditor["loading"] | undefined;
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  "prop:room"?: SpikeEditor["room"] | undefined;
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  "prop:project"?: SpikeEditor["project"] | undefined;
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  "prop:server"?: SpikeEditor["server"] | undefined;
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  "prop:theme"?: SpikeEditor["theme"] | undefined;
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  "prop:persist"?: SpikeEditor["persist"] | undefined;
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  "prop:fork"?: SpikeEditor["fork"] | undefined;
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  "prop:version"?: SpikeEditor["version"] | undefined;
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  "prop:key"?: SpikeEditor["key"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "attr:clerk-publishable-key"?: SpikeEditor["clerkPublishableKey"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "prop:clerkPublishableKey"?: SpikeEditor["clerkPublishableKey"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "attr:clerk-js-url"?: SpikeEditor["clerkJsUrl"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "prop:clerkJsUrl"?: SpikeEditor["clerkJsUrl"] | undefined;
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  "prop:getToken"?: SpikeEditor["getToken"] | undefined;
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  "prop:clerk"?: SpikeEditor["clerk"] | undefined;
  /** The file's text changed, locally or by another user. Detail: `{ file, text, remote }`. */
  "on:spike-change"?:
    ((e: SpikeEditorSpikeChangeElementEvent) => void) | undefined;
  /** The connection state changed, or who else is here and how they are reached. Detail: `{ status, peers }`: `connecting | connected | offline | local`, and `{ clientId, name, transport: "webrtc" | "websocket" }` per other client. */
  "on:spike-status"?:
    ((e: SpikeEditorSpikeStatusElementEvent) => void) | undefined;
  /** The room refused the connection. Detail: `{ room, code, reason }`: code 4401 needs sign-in (or a fresh token), 4403 means the signed-in user has no access. A new token source or a sign-in reconnects. */
  "on:spike-auth-required"?:
    ((e: SpikeEditorSpikeAuthRequiredElementEvent) => void) | undefined;
  /** With `fork="auto"`, the reader's typing in the read-only template moved them to their own fork. Detail: `{ room, template }`. */
  "on:spike-fork"?: ((e: SpikeEditorSpikeForkElementEvent) => void) | undefined;
  /** With `fork="auto"`, forking the template failed (say, the room-creation limit). Detail: `{ template, message }`. */
  "on:spike-fork-error"?:
    ((e: SpikeEditorSpikeForkErrorElementEvent) => void) | undefined;
  /** This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`). Until it loads (see `loading`) it shows the file as highlighted, selectable text in the same box (the lite view), from its inline sources, or (in `click` mode, for a room) the file's text over HTTP (no socket), else a placeholder. */
  "on:spike-room-created"?:
    ((e: SpikeEditorSpikeRoomCreatedElementEvent) => void) | undefined;

  /** Set the innerHTML of the element */
  innerHTML?: string | undefined;
  /** Set the textContent of the element */
  textContent?: string | number | undefined;
};

export type SpikePlaygroundProps = {
  /** `split` (code beside output), `tabs` (one view at a time) or `stacked` (one column); any other value counts as `split`. */
  layout?: SpikePlayground["layout"] | undefined;
  /** Below this width of the element, in CSS pixels, the layout is `stacked` whatever `layout` says; 0: never. */
  "stack-below"?: SpikePlayground["stackBelow"] | undefined;
  /** Below this width of the element, in CSS pixels, the layout is `stacked` whatever `layout` says; 0: never. */
  stackBelow?: SpikePlayground["stackBelow"] | undefined;
  /** The code pane's share of the `split` layout's width, in percent (20 to 80). The separator changes it. */
  split?: SpikePlayground["split"] | undefined;
  /** In the `tabs` layout, the view shown: `code`, `preview`, `console`, (with `chat`) `chat` or (with `versions`)
`versions`. The view tabs change it. */
  view?: SpikePlayground["view"] | undefined;
  /** The file the editor shows (and the file tabs select). Defaults to `index.tsx`, else the first inline file. */
  file?: SpikePlayground["file"] | undefined;
  /** The file the preview runs. Defaults to the project's own entry, else `index.tsx`. */
  entry?: SpikePlayground["entry"] | undefined;
  /** Show a chat pane (`<spike-chat>`) on the same room. */
  chat?: SpikePlayground["chat"] | undefined;
  /** Show a versions pane (`<spike-versions>`) on the same room: save, restore, fork and embed saved versions. */
  versions?: SpikePlayground["versions"] | undefined;
  /** Show the files without allowing edits (the editor's and the file tabs' `readonly`). */
  readonly?: SpikePlayground["readonly"] | undefined;
  /** When the editor, preview and chat load their live parts (their `loading`): `lazy` (default), `eager` or `click`. */
  loading?: SpikePlayground["loading"] | undefined;
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  room?: SpikePlayground["room"] | undefined;
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  project?: SpikePlayground["project"] | undefined;
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  server?: SpikePlayground["server"] | undefined;
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  theme?: SpikePlayground["theme"] | undefined;
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  persist?: SpikePlayground["persist"] | undefined;
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  fork?: SpikePlayground["fork"] | undefined;
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  version?: SpikePlayground["version"] | undefined;
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  key?: SpikePlayground["key"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "clerk-publishable-key"?: SpikePlayground["clerkPublishableKey"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  clerkPublishableKey?: SpikePlayground["clerkPublishableKey"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "clerk-js-url"?: SpikePlayground["clerkJsUrl"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  clerkJsUrl?: SpikePlayground["clerkJsUrl"] | undefined;
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  getToken?: SpikePlayground["getToken"] | undefined;
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  clerk?: SpikePlayground["clerk"] | undefined;
};

export type SpikePlaygroundSolidJsProps = {
  /** `split` (code beside output), `tabs` (one view at a time) or `stacked` (one column); any other value counts as `split`. */
  "prop:layout"?: SpikePlayground["layout"] | undefined;
  /** Below this width of the element, in CSS pixels, the layout is `stacked` whatever `layout` says; 0: never. */
  "attr:stack-below"?: SpikePlayground["stackBelow"] | undefined;
  /** Below this width of the element, in CSS pixels, the layout is `stacked` whatever `layout` says; 0: never. */
  "prop:stackBelow"?: SpikePlayground["stackBelow"] | undefined;
  /** The code pane's share of the `split` layout's width, in percent (20 to 80). The separator changes it. */
  "prop:split"?: SpikePlayground["split"] | undefined;
  /** In the `tabs` layout, the view shown: `code`, `preview`, `console`, (with `chat`) `chat` or (with `versions`)
`versions`. The view tabs change it. */
  "prop:view"?: SpikePlayground["view"] | undefined;
  /** The file the editor shows (and the file tabs select). Defaults to `index.tsx`, else the first inline file. */
  "prop:file"?: SpikePlayground["file"] | undefined;
  /** The file the preview runs. Defaults to the project's own entry, else `index.tsx`. */
  "prop:entry"?: SpikePlayground["entry"] | undefined;
  /** Show a chat pane (`<spike-chat>`) on the same room. */
  "prop:chat"?: SpikePlayground["chat"] | undefined;
  /** Show a versions pane (`<spike-versions>`) on the same room: save, restore, fork and embed saved versions. */
  "prop:versions"?: SpikePlayground["versions"] | undefined;
  /** Show the files without allowing edits (the editor's and the file tabs' `readonly`). */
  "prop:readonly"?: SpikePlayground["readonly"] | undefined;
  /** When the editor, preview and chat load their live parts (their `loading`): `lazy` (default), `eager` or `click`. */
  "prop:loading"?: SpikePlayground["loading"] | undefined;
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  "prop:room"?: SpikePlayground["room"] | undefined;
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  "prop:project"?: SpikePlayground["project"] | undefined;
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  "prop:server"?: SpikePlayground["server"] | undefined;
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  "prop:theme"?: SpikePlayground["theme"] | undefined;
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  "prop:persist"?: SpikePlayground["persist"] | undefined;
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  "prop:fork"?: SpikePlayground["fork"] | undefined;
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  "prop:version"?: SpikePlayground["version"] | undefined;
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  "prop:key"?: SpikePlayground["key"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "attr:clerk-publishable-key"?:
    SpikePlayground["clerkPublishableKey"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "prop:clerkPublishableKey"?:
    SpikePlayground["clerkPublishableKey"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "attr:clerk-js-url"?: SpikePlayground["clerkJsUrl"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "prop:clerkJsUrl"?: SpikePlayground["clerkJsUrl"] | undefined;
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  "prop:getToken"?: SpikePlayground["getToken"] | undefined;
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  "prop:clerk"?: SpikePlayground["clerk"] | undefined;

  /** Set the innerHTML of the element */
  innerHTML?: string | undefined;
  /** Set the textContent of the element */
  textContent?: string | number | undefined;
};

/** `SpikePreview` component event */
export type SpikePreviewElementEvent<E = Event> = TypedEvent<SpikePreview, E>;
/** `spike-render` event type */
export type SpikePreviewSpikeRenderElementEvent = SpikePreviewElementEvent<
  CustomEvent<SpikeRenderDetail>
>;
/** `spike-error` event type */
export type SpikePreviewSpikeErrorElementEvent = SpikePreviewElementEvent<
  CustomEvent<SpikeErrorDetail>
>;
/** `spike-console` event type */
export type SpikePreviewSpikeConsoleElementEvent = SpikePreviewElementEvent<
  CustomEvent<SpikeConsoleDetail>
>;
/** `spike-auth-required` event type */
export type SpikePreviewSpikeAuthRequiredElementEvent =
  SpikePreviewElementEvent<CustomEvent<SpikeAuthRequiredDetail>>;
/** `spike-room-created` event type */
export type SpikePreviewSpikeRoomCreatedElementEvent = SpikePreviewElementEvent<
  CustomEvent<SpikeRoomCreatedDetail>
>;

export type SpikePreviewProps = {
  /** The file to run. Defaults to the project's own entry, else `index.tsx`. */
  entry?: SpikePreview["entry"] | undefined;
  /** When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text. */
  loading?: SpikePreview["loading"] | undefined;
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  room?: SpikePreview["room"] | undefined;
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  project?: SpikePreview["project"] | undefined;
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  server?: SpikePreview["server"] | undefined;
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  theme?: SpikePreview["theme"] | undefined;
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  persist?: SpikePreview["persist"] | undefined;
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  fork?: SpikePreview["fork"] | undefined;
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  version?: SpikePreview["version"] | undefined;
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  key?: SpikePreview["key"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "clerk-publishable-key"?: SpikePreview["clerkPublishableKey"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  clerkPublishableKey?: SpikePreview["clerkPublishableKey"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "clerk-js-url"?: SpikePreview["clerkJsUrl"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  clerkJsUrl?: SpikePreview["clerkJsUrl"] | undefined;
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  getToken?: SpikePreview["getToken"] | undefined;
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  clerk?: SpikePreview["clerk"] | undefined;

  /** The preview shows the current code. Detail: `{ entry, mode }`, mode `react` or `module`. */
  "onspike-render"?:
    ((e: SpikePreviewSpikeRenderElementEvent) => void) | undefined;
  /** A build error (syntax, with file:line) or a runtime error in the preview. Detail: `{ kind, message, file, line, column }`. */
  "onspike-error"?:
    ((e: SpikePreviewSpikeErrorElementEvent) => void) | undefined;
  /** The previewed code wrote to the console. Detail: `{ level, args }`, args formatted as text. At most 300 at once and 100 a second; past that, messages are dropped and one `warn` entry a second says how many. */
  "onspike-console"?:
    ((e: SpikePreviewSpikeConsoleElementEvent) => void) | undefined;
  /** The room refused the connection. Detail: `{ room, code, reason }` (4401 sign-in needed, 4403 no access). */
  "onspike-auth-required"?:
    ((e: SpikePreviewSpikeAuthRequiredElementEvent) => void) | undefined;
  /** This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`). Until it loads (see `loading`) it shows a poster with a "Run" button in the same box. */
  "onspike-room-created"?:
    ((e: SpikePreviewSpikeRoomCreatedElementEvent) => void) | undefined;
};

export type SpikePreviewSolidJsProps = {
  /** The file to run. Defaults to the project's own entry, else `index.tsx`. */
  "prop:entry"?: SpikePreview["entry"] | undefined;
  /** When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text. */
  "prop:loading"?: SpikePreview["loading"] | undefined;
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  "prop:room"?: SpikePreview["room"] | undefined;
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  "prop:project"?: SpikePreview["project"] | undefined;
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  "prop:server"?: SpikePreview["server"] | undefined;
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  "prop:theme"?: SpikePreview["theme"] | undefined;
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  "prop:persist"?: SpikePreview["persist"] | undefined;
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  "prop:fork"?: SpikePreview["fork"] | undefined;
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  "prop:version"?: SpikePreview["version"] | undefined;
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  "prop:key"?: SpikePreview["key"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "attr:clerk-publishable-key"?:
    SpikePreview["clerkPublishableKey"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "prop:clerkPublishableKey"?: SpikePreview["clerkPublishableKey"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "attr:clerk-js-url"?: SpikePreview["clerkJsUrl"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "prop:clerkJsUrl"?: SpikePreview["clerkJsUrl"] | undefined;
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  "prop:getToken"?: SpikePreview["getToken"] | undefined;
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  "prop:clerk"?: SpikePreview["clerk"] | undefined;
  /** The preview shows the current code. Detail: `{ entry, mode }`, mode `react` or `module`. */
  "on:spike-render"?:
    ((e: SpikePreviewSpikeRenderElementEvent) => void) | undefined;
  /** A build error (syntax, with file:line) or a runtime error in the preview. Detail: `{ kind, message, file, line, column }`. */
  "on:spike-error"?:
    ((e: SpikePreviewSpikeErrorElementEvent) => void) | undefined;
  /** The previewed code wrote to the console. Detail: `{ level, args }`, args formatted as text. At most 300 at once and 100 a second; past that, messages are dropped and one `warn` entry a second says how many. */
  "on:spike-console"?:
    ((e: SpikePreviewSpikeConsoleElementEvent) => void) | undefined;
  /** The room refused the connection. Detail: `{ room, code, reason }` (4401 sign-in needed, 4403 no access). */
  "on:spike-auth-required"?:
    ((e: SpikePreviewSpikeAuthRequiredElementEvent) => void) | undefined;
  /** This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`). Until it loads (see `loading`) it shows a poster with a "Run" button in the same box. */
  "on:spike-room-created"?:
    ((e: SpikePreviewSpikeRoomCreatedElementEvent) => void) | undefined;

  /** Set the innerHTML of the element */
  innerHTML?: string | undefined;
  /** Set the textContent of the element */
  textContent?: string | number | undefined;
};

export type SpikeRoomProps = {
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  room?: SpikeRoom["room"] | undefined;
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  project?: SpikeRoom["project"] | undefined;
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  server?: SpikeRoom["server"] | undefined;
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  theme?: SpikeRoom["theme"] | undefined;
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  persist?: SpikeRoom["persist"] | undefined;
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  fork?: SpikeRoom["fork"] | undefined;
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  version?: SpikeRoom["version"] | undefined;
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  key?: SpikeRoom["key"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "clerk-publishable-key"?: SpikeRoom["clerkPublishableKey"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  clerkPublishableKey?: SpikeRoom["clerkPublishableKey"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "clerk-js-url"?: SpikeRoom["clerkJsUrl"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  clerkJsUrl?: SpikeRoom["clerkJsUrl"] | undefined;
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  getToken?: SpikeRoom["getToken"] | undefined;
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  clerk?: SpikeRoom["clerk"] | undefined;
};

export type SpikeRoomSolidJsProps = {
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  "prop:room"?: SpikeRoom["room"] | undefined;
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  "prop:project"?: SpikeRoom["project"] | undefined;
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  "prop:server"?: SpikeRoom["server"] | undefined;
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  "prop:theme"?: SpikeRoom["theme"] | undefined;
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  "prop:persist"?: SpikeRoom["persist"] | undefined;
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  "prop:fork"?: SpikeRoom["fork"] | undefined;
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  "prop:version"?: SpikeRoom["version"] | undefined;
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  "prop:key"?: SpikeRoom["key"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "attr:clerk-publishable-key"?: SpikeRoom["clerkPublishableKey"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "prop:clerkPublishableKey"?: SpikeRoom["clerkPublishableKey"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "attr:clerk-js-url"?: SpikeRoom["clerkJsUrl"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "prop:clerkJsUrl"?: SpikeRoom["clerkJsUrl"] | undefined;
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  "prop:getToken"?: SpikeRoom["getToken"] | undefined;
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  "prop:clerk"?: SpikeRoom["clerk"] | undefined;

  /** Set the innerHTML of the element */
  innerHTML?: string | undefined;
  /** Set the textContent of the element */
  textContent?: string | number | undefined;
};

/** `SpikeTabs` component event */
export type SpikeTabsElementEvent<E = Event> = TypedEvent<SpikeTabs, E>;
/** `spike-file-select` event type */
export type SpikeTabsSpikeFileSelectElementEvent = SpikeTabsElementEvent<
  CustomEvent<SpikeFileSelectDetail>
>;

export type SpikeTabsProps = {
  /** The selected file. Unset, it is the editor's file (else the entry); picking a tab or a rename or delete sets it. */
  file?: SpikeTabs["file"] | undefined;
  /** List the files without the Add, Rename and Delete buttons (and without F2 and Delete). */
  readonly?: SpikeTabs["readonly"] | undefined;
  /** The id of the `<spike-editor>` to drive (in the same document or shadow root); unset: the first of the same room. */
  editor?: SpikeTabs["editor"] | undefined;
  /** When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text. */
  loading?: SpikeTabs["loading"] | undefined;
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  room?: SpikeTabs["room"] | undefined;
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  project?: SpikeTabs["project"] | undefined;
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  server?: SpikeTabs["server"] | undefined;
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  theme?: SpikeTabs["theme"] | undefined;
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  persist?: SpikeTabs["persist"] | undefined;
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  fork?: SpikeTabs["fork"] | undefined;
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  version?: SpikeTabs["version"] | undefined;
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  key?: SpikeTabs["key"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "clerk-publishable-key"?: SpikeTabs["clerkPublishableKey"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  clerkPublishableKey?: SpikeTabs["clerkPublishableKey"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "clerk-js-url"?: SpikeTabs["clerkJsUrl"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  clerkJsUrl?: SpikeTabs["clerkJsUrl"] | undefined;
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  getToken?: SpikeTabs["getToken"] | undefined;
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  clerk?: SpikeTabs["clerk"] | undefined;

  /** The user picked a tab. Detail: `{ file }`. Cancelable: unless a listener calls `preventDefault()`, the tabs switch their editor to the file. */
  "onspike-file-select"?:
    ((e: SpikeTabsSpikeFileSelectElementEvent) => void) | undefined;
};

export type SpikeTabsSolidJsProps = {
  /** The selected file. Unset, it is the editor's file (else the entry); picking a tab or a rename or delete sets it. */
  "prop:file"?: SpikeTabs["file"] | undefined;
  /** List the files without the Add, Rename and Delete buttons (and without F2 and Delete). */
  "prop:readonly"?: SpikeTabs["readonly"] | undefined;
  /** The id of the `<spike-editor>` to drive (in the same document or shadow root); unset: the first of the same room. */
  "prop:editor"?: SpikeTabs["editor"] | undefined;
  /** When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text. */
  "prop:loading"?: SpikeTabs["loading"] | undefined;
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  "prop:room"?: SpikeTabs["room"] | undefined;
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  "prop:project"?: SpikeTabs["project"] | undefined;
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  "prop:server"?: SpikeTabs["server"] | undefined;
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  "prop:theme"?: SpikeTabs["theme"] | undefined;
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  "prop:persist"?: SpikeTabs["persist"] | undefined;
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  "prop:fork"?: SpikeTabs["fork"] | undefined;
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  "prop:version"?: SpikeTabs["version"] | undefined;
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  "prop:key"?: SpikeTabs["key"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "attr:clerk-publishable-key"?: SpikeTabs["clerkPublishableKey"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "prop:clerkPublishableKey"?: SpikeTabs["clerkPublishableKey"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "attr:clerk-js-url"?: SpikeTabs["clerkJsUrl"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "prop:clerkJsUrl"?: SpikeTabs["clerkJsUrl"] | undefined;
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  "prop:getToken"?: SpikeTabs["getToken"] | undefined;
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  "prop:clerk"?: SpikeTabs["clerk"] | undefined;
  /** The user picked a tab. Detail: `{ file }`. Cancelable: unless a listener calls `preventDefault()`, the tabs switch their editor to the file. */
  "on:spike-file-select"?:
    ((e: SpikeTabsSpikeFileSelectElementEvent) => void) | undefined;

  /** Set the innerHTML of the element */
  innerHTML?: string | undefined;
  /** Set the textContent of the element */
  textContent?: string | number | undefined;
};

/** `SpikeVersions` component event */
export type SpikeVersionsElementEvent<E = Event> = TypedEvent<SpikeVersions, E>;
/** `spike-save` event type */
export type SpikeVersionsSpikeSaveElementEvent = SpikeVersionsElementEvent<
  CustomEvent<SpikeSaveDetail>
>;
/** `spike-restore` event type */
export type SpikeVersionsSpikeRestoreElementEvent = SpikeVersionsElementEvent<
  CustomEvent<SpikeRestoreDetail>
>;
/** `spike-fork` event type */
export type SpikeVersionsSpikeForkElementEvent = SpikeVersionsElementEvent<
  CustomEvent<SpikeForkDetail>
>;
/** `spike-copy` event type */
export type SpikeVersionsSpikeCopyElementEvent = SpikeVersionsElementEvent<
  CustomEvent<SpikeCopyDetail>
>;

export type SpikeVersionsProps = {
  /** The element an embed snippet uses: `spike-playground` (default), `spike-editor`, `spike-preview` or any room element. */
  embed?: SpikeVersions["embed"] | undefined;
  /** When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text. */
  loading?: SpikeVersions["loading"] | undefined;
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  room?: SpikeVersions["room"] | undefined;
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  project?: SpikeVersions["project"] | undefined;
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  server?: SpikeVersions["server"] | undefined;
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  theme?: SpikeVersions["theme"] | undefined;
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  persist?: SpikeVersions["persist"] | undefined;
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  fork?: SpikeVersions["fork"] | undefined;
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  version?: SpikeVersions["version"] | undefined;
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  key?: SpikeVersions["key"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "clerk-publishable-key"?: SpikeVersions["clerkPublishableKey"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  clerkPublishableKey?: SpikeVersions["clerkPublishableKey"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "clerk-js-url"?: SpikeVersions["clerkJsUrl"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  clerkJsUrl?: SpikeVersions["clerkJsUrl"] | undefined;
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  getToken?: SpikeVersions["getToken"] | undefined;
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  clerk?: SpikeVersions["clerk"] | undefined;

  /** A version was saved here. Detail: `{ room, version: { n, name, createdAt } }`. */
  "onspike-save"?:
    ((e: SpikeVersionsSpikeSaveElementEvent) => void) | undefined;
  /** A version was restored into the live room. Detail: `{ room, version }`. */
  "onspike-restore"?:
    ((e: SpikeVersionsSpikeRestoreElementEvent) => void) | undefined;
  /** A new room was made from a version. Detail: `{ room, forkedFrom: { room, version } }`: `room` is the new one. */
  "onspike-fork"?:
    ((e: SpikeVersionsSpikeForkElementEvent) => void) | undefined;
  /** An embed snippet was copied. Detail: `{ room, version, snippet, copied }`: `copied` is false when the clipboard refused and the snippet is shown selected instead. */
  "onspike-copy"?:
    ((e: SpikeVersionsSpikeCopyElementEvent) => void) | undefined;
};

export type SpikeVersionsSolidJsProps = {
  /** The element an embed snippet uses: `spike-playground` (default), `spike-editor`, `spike-preview` or any room element. */
  "prop:embed"?: SpikeVersions["embed"] | undefined;
  /** When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text. */
  "prop:loading"?: SpikeVersions["loading"] | undefined;
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  "prop:room"?: SpikeVersions["room"] | undefined;
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  "prop:project"?: SpikeVersions["project"] | undefined;
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  "prop:server"?: SpikeVersions["server"] | undefined;
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  "prop:theme"?: SpikeVersions["theme"] | undefined;
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  "prop:persist"?: SpikeVersions["persist"] | undefined;
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  "prop:fork"?: SpikeVersions["fork"] | undefined;
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  "prop:version"?: SpikeVersions["version"] | undefined;
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  "prop:key"?: SpikeVersions["key"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "attr:clerk-publishable-key"?:
    SpikeVersions["clerkPublishableKey"] | undefined;
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "prop:clerkPublishableKey"?: SpikeVersions["clerkPublishableKey"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "attr:clerk-js-url"?: SpikeVersions["clerkJsUrl"] | undefined;
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "prop:clerkJsUrl"?: SpikeVersions["clerkJsUrl"] | undefined;
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  "prop:getToken"?: SpikeVersions["getToken"] | undefined;
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  "prop:clerk"?: SpikeVersions["clerk"] | undefined;
  /** A version was saved here. Detail: `{ room, version: { n, name, createdAt } }`. */
  "on:spike-save"?:
    ((e: SpikeVersionsSpikeSaveElementEvent) => void) | undefined;
  /** A version was restored into the live room. Detail: `{ room, version }`. */
  "on:spike-restore"?:
    ((e: SpikeVersionsSpikeRestoreElementEvent) => void) | undefined;
  /** A new room was made from a version. Detail: `{ room, forkedFrom: { room, version } }`: `room` is the new one. */
  "on:spike-fork"?:
    ((e: SpikeVersionsSpikeForkElementEvent) => void) | undefined;
  /** An embed snippet was copied. Detail: `{ room, version, snippet, copied }`: `copied` is false when the clipboard refused and the snippet is shown selected instead. */
  "on:spike-copy"?:
    ((e: SpikeVersionsSpikeCopyElementEvent) => void) | undefined;

  /** Set the innerHTML of the element */
  innerHTML?: string | undefined;
  /** Set the textContent of the element */
  textContent?: string | number | undefined;
};

export type CustomElements = {
  /**
   * An AI chat about the project in a room: ask a question, watch the answer stream in (rendered as sanitized markdown),
   * and undo the edits a reply made to the files, or an AI agent's change over MCP ("Claude (MCP) changed index.tsx").
   * Everyone in the room sees the same chat live. `/image <prompt>` makes a picture and stores it as a room asset the app
   * can import.
   *
   * ## Attributes & Properties
   *
   * Component attributes and properties that can be applied to the element or by using JavaScript.
   *
   * - `model`: The model to ask, e.g. `gpt-4o-mini`, `gpt-4.1`, `claude-sonnet-4-5`, `claude-haiku-4-5`.
   * - `author`: The name shown on this user's messages. Defaults to the user's name in the room (as on their cursor).
   * - `loading`: When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
   * clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text.
   * - `room`: Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
   * that room; an element in no room edits or shows a local project seeded from its inline files.
   * - `project`: Without a room: the name of a local project shared with the other elements on this page that name it.
   * - `server`: Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from.
   * - `theme`: Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
   * Defaults to the `<spike-room>`'s, else `auto`.
   * - `persist`: Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
   * will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
   * holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
   * The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
   * computers.
   * - `fork`: `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
   * room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
   * the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
   * reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
   * `<spike-playground>`, it holds for the elements inside.
   * - `version`: A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
   * that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
   * changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
   * with its room. Anything but a whole number from 1 shows an error instead.
   * - `key`: The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
   * `#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
   * encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
   * with its room. Not reflected to the attribute.
   * - `clerk-publishable-key`/`clerkPublishableKey`: Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
   * server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
   * is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
   * server); for a different key given here, sign-in is unavailable and a console warning says why.
   * - `clerk-js-url`/`clerkJsUrl`: Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests).
   * - `messages`: The chat's messages, oldest first (a snapshot; empty until the chat loads). (property only) (readonly)
   * - `roomRole`: What the room lets this user do: `owner`, `editor`, `viewer` (may read the chat, not ask), or null when it has not said. (property only) (readonly)
   * - `isLive`: True once the live part has loaded (the element is no longer lite). (property only) (readonly)
   * - `templateRoom`: The template room: the room as given, before `fork="auto"` put the reader's fork in its place. (property only) (readonly)
   * - `forked`: True while `fork="auto"` shows the reader's fork of the template instead of the template. (property only) (readonly)
   * - `roomKey`: The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). (property only) (readonly)
   * - `getToken`: Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
   * expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
   * An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. (property only)
   * - `clerk`: A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
   * offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. (property only)
   *
   * ## Events
   *
   * Events that will be emitted by the component.
   *
   * - `spike-message`: A message appeared in the chat (sent here, by another user, the assistant's reply starting, or an AI agent's change: role `agent`). Detail: `{ id, role }`.
   * - `spike-auth-required`: The room refused the connection. Detail: `{ room, code, reason }` (4401 sign-in needed, 4403 no access).
   * - `spike-room-created`: This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`). Until it loads (see `loading`) it shows an empty log in the same box, with an "Open chat" button in `click` mode.
   *
   * ## Methods
   *
   * Methods that can be called to access component functionality.
   *
   * - `send(text?: string) => Promise<void>`: Send the textarea's text (or `text`) to the model, loading the chat first if it has not loaded. Resolves once the
   * server accepted it; the reply streams in later.
   * - `load() => Promise<void>`: Load the live part now, whatever `loading` says; resolves once it is in place (or rejects if its chunk failed to load).
   * - `resetFork() => void`: "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ## CSS Custom Properties
   *
   * CSS variables available for styling the component.
   *
   * - `--spike-chat-height`: Height of the element. Default `420px`. (default: `undefined`)
   * - `--spike-chat-background`: Background of the chat. Default a theme white/black. (default: `undefined`)
   * - `--spike-chat-user-background`: Background of user messages. Default a theme light blue. (default: `undefined`)
   * - `--spike-accent`: Colour of the Send button (its text is white). Default `#0969da`, dark `#1f6feb`. (default: `undefined`)
   * - `--spike-border`: Border of the frame. Default `1px solid` a theme grey. (default: `undefined`)
   * - `--spike-radius`: Corner radius of the frame. Default `8px`. (default: `undefined`)
   * - `--spike-font-family`: Font of code in replies. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`. (default: `undefined`)
   * - `--spike-ui-font-family`: Font of the chat. Default `system-ui, sans-serif`. (default: `undefined`)
   *
   * ## CSS Parts
   *
   * Custom selectors for styling elements within the component.
   *
   * - `base`: The frame around the chat.
   * - `activate`: The lite view's "Open chat" button (`loading="click"`).
   * - `messages`: The scrolling message log.
   * - `message`: One message (also `message-user`, `message-assistant`, or `message-agent` for an AI agent's change over MCP).
   * - `composer`: The textarea and Send button.
   * - `input`: The textarea.
   * - `send`: The Send button.
   * - `mic`: The microphone button: records a question, transcribed by `POST /api/transcribe` into the textarea.
   * - `image`: An `/image <prompt>` entry: the picture generated on the server (Replicate) and stored as a room asset, shown to this page.
   * - `image-progress`: "Generating the image…" while an `/image` request runs.
   * - `image-result`: The generated picture (an `<img>` of the room asset).
   * - `image-error`: Why an `/image` request failed.
   * - `status`: The status bar: who is typing, the last error, the connection (a polite live region).
   * - `badge`: The "Read-only" badge, shown when the room lets this user watch but not ask.
   * - `sign-in`: The "Sign in" button, shown when Clerk is in use and nobody is signed in.
   * - `sign-in-error`: "Sign-in unavailable", shown instead when the element cannot use Clerk (say, the page's own `window.Clerk` has another publishable key); its `title` says why.
   */
  "spike-chat": Partial<SpikeChatProps & BaseProps<SpikeChat> & BaseEvents>;

  /**
   * The console of a `<spike-preview>`: what the previewed code logs, by level, with objects you can expand, and build and
   * runtime errors with file:line links that jump to the editor.
   *
   * ## Attributes & Properties
   *
   * Component attributes and properties that can be applied to the element or by using JavaScript.
   *
   * - `for`: The id of the `<spike-preview>` to show (in the same document or shadow root). Without it: every preview of the same room or project there.
   * - `editor`: The id of the `<spike-editor>` a file:line link reveals in. Without it: the first editor of the same room or project showing that file, else the first one.
   * - `max-lines`/`maxLines`: How many lines to keep; the oldest go first, and a note says how many went.
   * - `room`: Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
   * that room; an element in no room edits or shows a local project seeded from its inline files.
   * - `project`: Without a room: the name of a local project shared with the other elements on this page that name it.
   * - `server`: Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from.
   * - `theme`: Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
   * Defaults to the `<spike-room>`'s, else `auto`.
   * - `persist`: Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
   * will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
   * holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
   * The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
   * computers.
   * - `fork`: `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
   * room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
   * the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
   * reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
   * `<spike-playground>`, it holds for the elements inside.
   * - `version`: A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
   * that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
   * changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
   * with its room. Anything but a whole number from 1 shows an error instead.
   * - `key`: The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
   * `#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
   * encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
   * with its room. Not reflected to the attribute.
   * - `clerk-publishable-key`/`clerkPublishableKey`: Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
   * server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
   * is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
   * server); for a different key given here, sign-in is unavailable and a console warning says why.
   * - `clerk-js-url`/`clerkJsUrl`: Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests).
   * - `lines`: The kept lines, oldest first: `{ level, kind, text, values, location, stack, count }` each (a snapshot). (property only) (readonly)
   * - `dropped`: How many older lines were dropped to stay within `max-lines` since the last clear. (property only) (readonly)
   * - `templateRoom`: The template room: the room as given, before `fork="auto"` put the reader's fork in its place. (property only) (readonly)
   * - `forked`: True while `fork="auto"` shows the reader's fork of the template instead of the template. (property only) (readonly)
   * - `roomKey`: The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). (property only) (readonly)
   * - `getToken`: Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
   * expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
   * An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. (property only)
   * - `clerk`: A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
   * offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. (property only)
   *
   * ## Events
   *
   * Events that will be emitted by the component.
   *
   * - `spike-navigate`: A file:line link was clicked. Detail: `{ file, line, column }` (1-based). Cancelable: unless a listener calls preventDefault(), the console calls `reveal()` on the editor beside it.
   *
   * ## Methods
   *
   * Methods that can be called to access component functionality.
   *
   * - `clear() => void`: Remove every line.
   * - `resetFork() => void`: "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ## CSS Custom Properties
   *
   * CSS variables available for styling the component.
   *
   * - `--spike-console-height`: Height of the element. Default `220px`. (default: `undefined`)
   * - `--spike-console-background`: Background of the lines. Default a theme white/black. (default: `undefined`)
   * - `--spike-border`: Border of the frame. Default `1px solid` a theme grey. (default: `undefined`)
   * - `--spike-radius`: Corner radius of the frame. Default `8px`. (default: `undefined`)
   * - `--spike-font-family`: Font of the lines. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`. (default: `undefined`)
   * - `--spike-ui-font-family`: Font of the toolbar. Default `system-ui, sans-serif`. (default: `undefined`)
   *
   * ## CSS Parts
   *
   * Custom selectors for styling elements within the component.
   *
   * - `base`: The frame around the toolbar and the lines.
   * - `toolbar`: The level filters and the Clear button.
   * - `filter`: One level's filter button (`aria-pressed` says whether its lines show); also `filter-<level>`.
   * - `clear`: The Clear button.
   * - `lines`: The scrolling list of lines.
   * - `line`: One line; also `line-<level>` (`line-error`, `line-warn`, `line-info`, `line-log`, `line-debug`).
   * - `tree`: An object argument: a `<details>` whose entries show when opened.
   * - `link`: A file:line button that shows the place in the editor.
   * - `dropped`: The note that older lines were dropped to stay within `max-lines`.
   * - `empty`: What the list says before anything was logged.
   */
  "spike-console": Partial<
    SpikeConsoleProps & BaseProps<SpikeConsole> & BaseEvents
  >;

  /**
   * A live, collaborative TypeScript/TSX code editor (Monaco) for one file of a spike project.
   *
   * ## Attributes & Properties
   *
   * Component attributes and properties that can be applied to the element or by using JavaScript.
   *
   * - `file`: The project file to edit.
   * - `readonly`: Show the file without allowing edits.
   * - `loading`: When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
   * clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text.
   * - `room`: Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
   * that room; an element in no room edits or shows a local project seeded from its inline files.
   * - `project`: Without a room: the name of a local project shared with the other elements on this page that name it.
   * - `server`: Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from.
   * - `theme`: Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
   * Defaults to the `<spike-room>`'s, else `auto`.
   * - `persist`: Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
   * will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
   * holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
   * The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
   * computers.
   * - `fork`: `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
   * room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
   * the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
   * reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
   * `<spike-playground>`, it holds for the elements inside.
   * - `version`: A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
   * that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
   * changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
   * with its room. Anything but a whole number from 1 shows an error instead.
   * - `key`: The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
   * `#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
   * encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
   * with its room. Not reflected to the attribute.
   * - `clerk-publishable-key`/`clerkPublishableKey`: Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
   * server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
   * is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
   * server); for a different key given here, sign-in is unavailable and a console warning says why.
   * - `clerk-js-url`/`clerkJsUrl`: Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests).
   * - `status`: Connection state: `connecting`, `connected`, `offline`, or `local` for a room-less editor (also before it loads). (property only) (readonly)
   * - `roomRole`: What the room lets this user do: `owner`, `editor`, `viewer` (read-only), or null when it has not said (anyone edits). (property only) (readonly)
   * - `isLive`: True once the live part has loaded (the element is no longer lite). (property only) (readonly)
   * - `templateRoom`: The template room: the room as given, before `fork="auto"` put the reader's fork in its place. (property only) (readonly)
   * - `forked`: True while `fork="auto"` shows the reader's fork of the template instead of the template. (property only) (readonly)
   * - `roomKey`: The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). (property only) (readonly)
   * - `getToken`: Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
   * expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
   * An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. (property only)
   * - `clerk`: A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
   * offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. (property only)
   *
   * ## Events
   *
   * Events that will be emitted by the component.
   *
   * - `spike-change`: The file's text changed, locally or by another user. Detail: `{ file, text, remote }`.
   * - `spike-status`: The connection state changed, or who else is here and how they are reached. Detail: `{ status, peers }`: `connecting | connected | offline | local`, and `{ clientId, name, transport: "webrtc" | "websocket" }` per other client.
   * - `spike-auth-required`: The room refused the connection. Detail: `{ room, code, reason }`: code 4401 needs sign-in (or a fresh token), 4403 means the signed-in user has no access. A new token source or a sign-in reconnects.
   * - `spike-fork`: With `fork="auto"`, the reader's typing in the read-only template moved them to their own fork. Detail: `{ room, template }`.
   * - `spike-fork-error`: With `fork="auto"`, forking the template failed (say, the room-creation limit). Detail: `{ template, message }`.
   * - `spike-room-created`: This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`). Until it loads (see `loading`) it shows the file as highlighted, selectable text in the same box (the lite view), from its inline sources, or (in `click` mode, for a room) the file's text over HTTP (no socket), else a placeholder.
   *
   * ## Methods
   *
   * Methods that can be called to access component functionality.
   *
   * - `reveal(file: string, line: number, column = 1) => Promise<void>`: Show `file` with the caret at `line` and `column` (1-based; clamped to the file), scrolled into view, and focus the
   * editor. Loads the editor first if it has not loaded. `<spike-console>` calls it for a clicked file:line link.
   * - `load() => Promise<void>`: Load the live part now, whatever `loading` says; resolves once it is in place (or rejects if its chunk failed to load).
   * - `resetFork() => void`: "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ## CSS Custom Properties
   *
   * CSS variables available for styling the component.
   *
   * - `--spike-editor-height`: Height of the element. Default `320px`. (default: `undefined`)
   * - `--spike-border`: Border of the frame. Default `1px solid` a theme grey. (default: `undefined`)
   * - `--spike-radius`: Corner radius of the frame. Default `8px`. (default: `undefined`)
   * - `--spike-font-family`: Code font. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`. (default: `undefined`)
   * - `--spike-font-size`: Code font size in px. Default `14px`. (default: `undefined`)
   * - `--spike-ui-font-family`: Font of the status bar. Default `system-ui, sans-serif`. (default: `undefined`)
   *
   * ## CSS Parts
   *
   * Custom selectors for styling elements within the component.
   *
   * - `base`: The frame around editor and status bar (also around the lite view).
   * - `code`: The lite view's highlighted code (a `<pre>`), shown until the editor loads.
   * - `activate`: The lite view's "Click to edit" button (`loading="click"`).
   * - `editor`: The region Monaco renders into (role "region", labelled with the file name).
   * - `loading`: The loading state shown until Monaco and the room are ready (or the error if loading failed).
   * - `hint`: The keyboard hint ("Press Esc then Tab to leave the editor…"), shown when the editor gets the focus from the keyboard; it also describes the editing surface to screen readers.
   * - `status`: The status bar: file name, people in the room, connection state (a polite live region).
   * - `keys`: What Tab does now (`Esc, Tab: leave` or `Tab moves focus`), in the status bar while the editor has the focus.
   * - `drop-status`: What the last drop of image or font files did ("Uploading logo.png…", "Uploaded logo.png", or why not), in the status bar. Dropping images or fonts on a room's editor uploads them as room assets and inserts their imports.
   * - `badge`: The "Read-only" badge, shown when the room lets this user watch but not edit (with `fork="auto"`: "Template: type to edit your copy"; "Version <n>" for a saved version, `version`).
   * - `reset-fork`: The "Reset to original" button, shown while `fork="auto"` shows the reader's fork: back to the template.
   * - `sign-in`: The "Sign in" button, shown when Clerk is in use and nobody is signed in.
   * - `sign-in-error`: "Sign-in unavailable", shown instead when the element cannot use Clerk (say, the page's own `window.Clerk` has another publishable key); its `title` says why.
   */
  "spike-editor": Partial<
    SpikeEditorProps & BaseProps<SpikeEditor> & BaseEvents
  >;

  /**
   * A whole playground in one element: `<spike-tabs>`, `<spike-editor>`, `<spike-preview>`, `<spike-console>`, with
   * `chat` `<spike-chat>`, and with `versions` `<spike-versions>` (the room's saved versions), on one room (or, without one, one local project seeded from the inline files). Each part is the
   * element of the same name, so anything it does on its own it does here. The playground is also the room for anything
   * in its light DOM (as `<spike-room>` is), and it shows that content after its panes.
   *
   * `layout="split"` (the default) puts the code beside the preview and console; the separator between them is dragged with
   * a pointer or moved with the keyboard (arrow keys, Shift for bigger steps, Home and End). `tabs` shows one view at a
   * time behind a tab list; `stacked` puts everything in one column at natural heights, so the page scrolls. Below
   * `stack-below` pixels of its own width (not the viewport's), any layout is shown stacked.
   *
   * The inner elements' parts are re-exported with the element's name in front: `editor-base`, `editor-status`,
   * `preview-frame`, `preview-error`, `console-base`, `tabs-base`, `chat-messages`, `versions-list` and so on.
   *
   * With `version="<n>"` the whole playground shows that saved version of the room, read-only (its preview runs it).
   *
   * ## Attributes & Properties
   *
   * Component attributes and properties that can be applied to the element or by using JavaScript.
   *
   * - `layout`: `split` (code beside output), `tabs` (one view at a time) or `stacked` (one column); any other value counts as `split`.
   * - `stack-below`/`stackBelow`: Below this width of the element, in CSS pixels, the layout is `stacked` whatever `layout` says; 0: never.
   * - `split`: The code pane's share of the `split` layout's width, in percent (20 to 80). The separator changes it.
   * - `view`: In the `tabs` layout, the view shown: `code`, `preview`, `console`, (with `chat`) `chat` or (with `versions`)
   * `versions`. The view tabs change it.
   * - `file`: The file the editor shows (and the file tabs select). Defaults to `index.tsx`, else the first inline file.
   * - `entry`: The file the preview runs. Defaults to the project's own entry, else `index.tsx`.
   * - `chat`: Show a chat pane (`<spike-chat>`) on the same room.
   * - `versions`: Show a versions pane (`<spike-versions>`) on the same room: save, restore, fork and embed saved versions.
   * - `readonly`: Show the files without allowing edits (the editor's and the file tabs' `readonly`).
   * - `loading`: When the editor, preview and chat load their live parts (their `loading`): `lazy` (default), `eager` or `click`.
   * - `room`: Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
   * that room; an element in no room edits or shows a local project seeded from its inline files.
   * - `project`: Without a room: the name of a local project shared with the other elements on this page that name it.
   * - `server`: Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from.
   * - `theme`: Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
   * Defaults to the `<spike-room>`'s, else `auto`.
   * - `persist`: Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
   * will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
   * holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
   * The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
   * computers.
   * - `fork`: `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
   * room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
   * the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
   * reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
   * `<spike-playground>`, it holds for the elements inside.
   * - `version`: A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
   * that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
   * changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
   * with its room. Anything but a whole number from 1 shows an error instead.
   * - `key`: The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
   * `#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
   * encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
   * with its room. Not reflected to the attribute.
   * - `clerk-publishable-key`/`clerkPublishableKey`: Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
   * server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
   * is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
   * server); for a different key given here, sign-in is unavailable and a console warning says why.
   * - `clerk-js-url`/`clerkJsUrl`: Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests).
   * - `currentLayout`: The layout shown now: `layout`, or `stacked` while the element is narrower than `stack-below`. (property only) (readonly)
   * - `templateRoom`: The template room: the room as given, before `fork="auto"` put the reader's fork in its place. (property only) (readonly)
   * - `forked`: True while `fork="auto"` shows the reader's fork of the template instead of the template. (property only) (readonly)
   * - `roomKey`: The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). (property only) (readonly)
   * - `getToken`: Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
   * expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
   * An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. (property only)
   * - `clerk`: A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
   * offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. (property only)
   *
   * ## Slots
   *
   * Areas where markup can be added to the component.
   *
   * - `(default)`: Inline files (`<script type="text/plain" data-file="index.tsx">`), which seed the project (a room that is still empty, or the playground's own local project), and anything else, shown after the panes and in the same room.
   *
   * ## Methods
   *
   * Methods that can be called to access component functionality.
   *
   * - `resetFork() => void`: "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ## CSS Custom Properties
   *
   * CSS variables available for styling the component.
   *
   * - `--spike-playground-height`: Height of the `split` and `tabs` layouts. Default `480px`. (default: `undefined`)
   * - `--spike-playground-console-height`: Height of the console: a share of the output pane in `split` (default `35%`), a length when stacked (default `180px`). (default: `undefined`)
   * - `--spike-playground-chat-width`: Width of the chat in `split`. Default `30%`. (default: `undefined`)
   * - `--spike-playground-versions-width`: Width of the versions pane in `split`. Default `30%`. (default: `undefined`)
   * - `--spike-editor-height`: Height of the editor when stacked. Default `300px`. (default: `undefined`)
   * - `--spike-preview-height`: Height of the preview when stacked. Default `300px`. (default: `undefined`)
   * - `--spike-border`: Border of the frame (the elements inside draw none). Default `1px solid` a theme grey. (default: `undefined`)
   * - `--spike-radius`: Corner radius of the frame. Default `8px`. (default: `undefined`)
   * - `--spike-ui-font-family`: Font of the view tabs. Default `system-ui, sans-serif`. (default: `undefined`)
   *
   * ## CSS Parts
   *
   * Custom selectors for styling elements within the component.
   *
   * - `base`: The frame around the playground.
   * - `views`: The tab list choosing the view (`tabs` layout only).
   * - `view`: One tab of that list.
   * - `code`: The pane with the file tabs and the editor.
   * - `output`: The pane with the preview and the console.
   * - `separator`: The separator between the code and output panes (`split` layout only; role "separator").
   * - `console`: The pane around the console.
   * - `chat`: The pane around the chat (with `chat`).
   * - `versions`: The pane around the versions (with `versions`).
   */
  "spike-playground": Partial<
    SpikePlaygroundProps & BaseProps<SpikePlayground> & BaseEvents
  >;

  /**
   * A live preview of a spike project: the entry's default export React component (or the module itself) running in an
   * isolated iframe on another site, re-rendered on every edit. Its status bar and error overlay follow the `theme`; the app
   * does not (it is the user's page: it draws on `--spike-preview-background` like a fresh page, and gets no colour-scheme
   * hint).
   *
   * ## Attributes & Properties
   *
   * Component attributes and properties that can be applied to the element or by using JavaScript.
   *
   * - `entry`: The file to run. Defaults to the project's own entry, else `index.tsx`.
   * - `loading`: When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
   * clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text.
   * - `room`: Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
   * that room; an element in no room edits or shows a local project seeded from its inline files.
   * - `project`: Without a room: the name of a local project shared with the other elements on this page that name it.
   * - `server`: Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from.
   * - `theme`: Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
   * Defaults to the `<spike-room>`'s, else `auto`.
   * - `persist`: Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
   * will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
   * holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
   * The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
   * computers.
   * - `fork`: `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
   * room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
   * the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
   * reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
   * `<spike-playground>`, it holds for the elements inside.
   * - `version`: A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
   * that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
   * changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
   * with its room. Anything but a whole number from 1 shows an error instead.
   * - `key`: The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
   * `#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
   * encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
   * with its room. Not reflected to the attribute.
   * - `clerk-publishable-key`/`clerkPublishableKey`: Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
   * server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
   * is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
   * server); for a different key given here, sign-in is unavailable and a console warning says why.
   * - `clerk-js-url`/`clerkJsUrl`: Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests).
   * - `currentEntry`: The entry file the preview runs now (before it loads: `entry`, else `index.tsx`). (property only) (readonly)
   * - `isLive`: True once the live part has loaded (the element is no longer lite). (property only) (readonly)
   * - `templateRoom`: The template room: the room as given, before `fork="auto"` put the reader's fork in its place. (property only) (readonly)
   * - `forked`: True while `fork="auto"` shows the reader's fork of the template instead of the template. (property only) (readonly)
   * - `roomKey`: The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). (property only) (readonly)
   * - `getToken`: Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
   * expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
   * An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. (property only)
   * - `clerk`: A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
   * offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. (property only)
   *
   * ## Events
   *
   * Events that will be emitted by the component.
   *
   * - `spike-render`: The preview shows the current code. Detail: `{ entry, mode }`, mode `react` or `module`.
   * - `spike-error`: A build error (syntax, with file:line) or a runtime error in the preview. Detail: `{ kind, message, file, line, column }`.
   * - `spike-console`: The previewed code wrote to the console. Detail: `{ level, args }`, args formatted as text. At most 300 at once and 100 a second; past that, messages are dropped and one `warn` entry a second says how many.
   * - `spike-auth-required`: The room refused the connection. Detail: `{ room, code, reason }` (4401 sign-in needed, 4403 no access).
   * - `spike-room-created`: This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`). Until it loads (see `loading`) it shows a poster with a "Run" button in the same box.
   *
   * ## Methods
   *
   * Methods that can be called to access component functionality.
   *
   * - `load() => Promise<void>`: Load the live part now, whatever `loading` says; resolves once it is in place (or rejects if its chunk failed to load).
   * - `resetFork() => void`: "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ## CSS Custom Properties
   *
   * CSS variables available for styling the component.
   *
   * - `--spike-preview-height`: Height of the element. Default `320px`. (default: `undefined`)
   * - `--spike-preview-background`: Background behind the previewed app. Default `#ffffff`. (default: `undefined`)
   * - `--spike-border`: Border of the frame. Default `1px solid` a theme grey. (default: `undefined`)
   * - `--spike-radius`: Corner radius of the frame. Default `8px`. (default: `undefined`)
   * - `--spike-font-family`: Font of file names and error messages. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`. (default: `undefined`)
   * - `--spike-ui-font-family`: Font of the status bar. Default `system-ui, sans-serif`. (default: `undefined`)
   *
   * ## CSS Parts
   *
   * Custom selectors for styling elements within the component.
   *
   * - `base`: The frame around the preview and status bar (also around the poster).
   * - `activate`: The poster's "Run" button, shown until the preview loads.
   * - `frame`: The iframe the project runs in.
   * - `error`: The build error overlay (message and file:line), shown over the last good render.
   * - `status`: The status bar: entry file and state (a polite live region).
   * - `badge`: The "Version <n>" badge, shown when the preview runs a saved version (`version`).
   * - `sign-in`: The "Sign in" button, shown when Clerk is in use and nobody is signed in.
   * - `sign-in-error`: "Sign-in unavailable", shown instead when the element cannot use Clerk (say, the page's own `window.Clerk` has another publishable key); its `title` says why.
   */
  "spike-preview": Partial<
    SpikePreviewProps & BaseProps<SpikePreview> & BaseEvents
  >;

  /**
   * Hands one room to every spike element inside it, however deep (also inside other components' shadow roots), so they
   * need no attributes of their own: `<spike-room room="demo"><spike-editor></spike-editor></spike-room>`.
   * An element's own `room` or `project` wins (then it takes neither from here); its own `server`, `theme` and sign-in
   * properties win one by one (sign-in as one set). When a setting changes here, every element that uses it follows: a new
   * room is opened and the old one let go. A `<spike-room>` inside another takes what it does not set from the outer one.
   * Elements added, moved in or out, or upgraded before this element was defined, find (or leave) it by themselves.
   * It draws nothing of its own (`display: contents`): its children lay out as if it were not there.
   *
   * ## Attributes & Properties
   *
   * Component attributes and properties that can be applied to the element or by using JavaScript.
   *
   * - `room`: Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
   * that room; an element in no room edits or shows a local project seeded from its inline files.
   * - `project`: Without a room: the name of a local project shared with the other elements on this page that name it.
   * - `server`: Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from.
   * - `theme`: Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
   * Defaults to the `<spike-room>`'s, else `auto`.
   * - `persist`: Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
   * will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
   * holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
   * The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
   * computers.
   * - `fork`: `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
   * room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
   * the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
   * reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
   * `<spike-playground>`, it holds for the elements inside.
   * - `version`: A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
   * that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
   * changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
   * with its room. Anything but a whole number from 1 shows an error instead.
   * - `key`: The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
   * `#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
   * encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
   * with its room. Not reflected to the attribute.
   * - `clerk-publishable-key`/`clerkPublishableKey`: Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
   * server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
   * is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
   * server); for a different key given here, sign-in is unavailable and a console warning says why.
   * - `clerk-js-url`/`clerkJsUrl`: Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests).
   * - `templateRoom`: The template room: the room as given, before `fork="auto"` put the reader's fork in its place. (property only) (readonly)
   * - `forked`: True while `fork="auto"` shows the reader's fork of the template instead of the template. (property only) (readonly)
   * - `roomKey`: The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). (property only) (readonly)
   * - `getToken`: Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
   * expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
   * An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. (property only)
   * - `clerk`: A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
   * offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. (property only)
   *
   * ## Slots
   *
   * Areas where markup can be added to the component.
   *
   * - `(default)`: The page content: spike elements, and anything around them.
   *
   * ## Methods
   *
   * Methods that can be called to access component functionality.
   *
   * - `resetFork() => void`: "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   */
  "spike-room": Partial<SpikeRoomProps & BaseProps<SpikeRoom> & BaseEvents>;

  /**
   * The file tabs of a spike project: one tab per file (hidden files get none), the entry file marked, read-only files marked.
   * Pick a tab with a click or the arrow keys; add, rename (F2 or a double-click) and delete (the Delete key, confirmed)
   * files with the buttons beside the tabs. Every collaborator in the room sees the change at once.
   *
   * Standalone, it drives the `<spike-editor>` its `editor` attribute names (by id), else the first `<spike-editor>` of
   * the same room (or project) in its document or shadow root. Without a room or project it lists its own inline files.
   *
   * ## Attributes & Properties
   *
   * Component attributes and properties that can be applied to the element or by using JavaScript.
   *
   * - `file`: The selected file. Unset, it is the editor's file (else the entry); picking a tab or a rename or delete sets it.
   * - `readonly`: List the files without the Add, Rename and Delete buttons (and without F2 and Delete).
   * - `editor`: The id of the `<spike-editor>` to drive (in the same document or shadow root); unset: the first of the same room.
   * - `loading`: When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
   * clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text.
   * - `room`: Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
   * that room; an element in no room edits or shows a local project seeded from its inline files.
   * - `project`: Without a room: the name of a local project shared with the other elements on this page that name it.
   * - `server`: Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from.
   * - `theme`: Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
   * Defaults to the `<spike-room>`'s, else `auto`.
   * - `persist`: Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
   * will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
   * holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
   * The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
   * computers.
   * - `fork`: `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
   * room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
   * the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
   * reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
   * `<spike-playground>`, it holds for the elements inside.
   * - `version`: A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
   * that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
   * changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
   * with its room. Anything but a whole number from 1 shows an error instead.
   * - `key`: The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
   * `#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
   * encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
   * with its room. Not reflected to the attribute.
   * - `clerk-publishable-key`/`clerkPublishableKey`: Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
   * server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
   * is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
   * server); for a different key given here, sign-in is unavailable and a console warning says why.
   * - `clerk-js-url`/`clerkJsUrl`: Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests).
   * - `files`: The files with a tab, sorted by name (hidden files left out; empty until the tabs load). (property only) (readonly)
   * - `isLive`: True once the live part has loaded (the element is no longer lite). (property only) (readonly)
   * - `templateRoom`: The template room: the room as given, before `fork="auto"` put the reader's fork in its place. (property only) (readonly)
   * - `forked`: True while `fork="auto"` shows the reader's fork of the template instead of the template. (property only) (readonly)
   * - `roomKey`: The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). (property only) (readonly)
   * - `getToken`: Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
   * expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
   * An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. (property only)
   * - `clerk`: A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
   * offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. (property only)
   *
   * ## Events
   *
   * Events that will be emitted by the component.
   *
   * - `spike-file-select`: The user picked a tab. Detail: `{ file }`. Cancelable: unless a listener calls `preventDefault()`, the tabs switch their editor to the file.
   *
   * ## Methods
   *
   * Methods that can be called to access component functionality.
   *
   * - `load() => Promise<void>`: Load the live part now, whatever `loading` says; resolves once it is in place (or rejects if its chunk failed to load).
   * - `resetFork() => void`: "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ## CSS Custom Properties
   *
   * CSS variables available for styling the component.
   *
   * - `--spike-border`: Border of the frame. Default `1px solid` a theme grey. (default: `undefined`)
   * - `--spike-radius`: Corner radius of the frame. Default `8px`. (default: `undefined`)
   * - `--spike-font-family`: Font of the file names. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`. (default: `undefined`)
   * - `--spike-ui-font-family`: Font of the buttons and messages. Default `system-ui, sans-serif`. (default: `undefined`)
   * - `--spike-accent`: Colour of the selected tab's underline and the focus ring. Default a theme blue. (default: `undefined`)
   *
   * ## CSS Parts
   *
   * Custom selectors for styling elements within the component.
   *
   * - `base`: The frame around the tabs and the buttons.
   * - `tablist`: The strip of tabs (role "tablist").
   * - `tab`: One tab (also `tab-selected` on the selected one).
   * - `entry`: The "entry" mark on the entry file's tab.
   * - `readonly`: The lock on a read-only file's tab.
   * - `actions`: The Add, Rename and Delete buttons (left out with `readonly`).
   * - `form`: The name field of Add and Rename, and the confirmation of Delete, shown below the tabs.
   * - `input`: The file name field.
   * - `error`: Why a name or an operation was refused (role "alert").
   */
  "spike-tabs": Partial<SpikeTabsProps & BaseProps<SpikeTabs> & BaseEvents>;

  /**
   * The saved versions of a room, newest first: save the room as a named version, restore one (after a confirmation; the
   * restore is one edit everyone in the room sees, and can be undone), fork one into a new room, and copy an embed snippet
   * pinned to one (`version="<n>"`, which never changes). Saving and restoring are for the room's editors and owner; a
   * reader who may only watch still lists, forks and copies. Calls carry the room's sign-in (the same token as its socket).
   *
   * ## Attributes & Properties
   *
   * Component attributes and properties that can be applied to the element or by using JavaScript.
   *
   * - `embed`: The element an embed snippet uses: `spike-playground` (default), `spike-editor`, `spike-preview` or any room element.
   * - `loading`: When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
   * clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text.
   * - `room`: Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
   * that room; an element in no room edits or shows a local project seeded from its inline files.
   * - `project`: Without a room: the name of a local project shared with the other elements on this page that name it.
   * - `server`: Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from.
   * - `theme`: Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
   * Defaults to the `<spike-room>`'s, else `auto`.
   * - `persist`: Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
   * will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
   * holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
   * The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
   * computers.
   * - `fork`: `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
   * room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
   * the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
   * reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
   * `<spike-playground>`, it holds for the elements inside.
   * - `version`: A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
   * that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
   * changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
   * with its room. Anything but a whole number from 1 shows an error instead.
   * - `key`: The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
   * `#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
   * encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
   * with its room. Not reflected to the attribute.
   * - `clerk-publishable-key`/`clerkPublishableKey`: Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
   * server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
   * is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
   * server); for a different key given here, sign-in is unavailable and a console warning says why.
   * - `clerk-js-url`/`clerkJsUrl`: Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests).
   * - `versions`: The room's versions, newest first, as last listed (empty until the element has loaded). (property only) (readonly)
   * - `roomRole`: What the room lets this user do: `owner`, `editor`, `viewer` (lists, forks, copies), or null when it has not said. (property only) (readonly)
   * - `isLive`: True once the live part has loaded (the element is no longer lite). (property only) (readonly)
   * - `templateRoom`: The template room: the room as given, before `fork="auto"` put the reader's fork in its place. (property only) (readonly)
   * - `forked`: True while `fork="auto"` shows the reader's fork of the template instead of the template. (property only) (readonly)
   * - `roomKey`: The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). (property only) (readonly)
   * - `getToken`: Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
   * expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
   * An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. (property only)
   * - `clerk`: A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
   * offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. (property only)
   *
   * ## Events
   *
   * Events that will be emitted by the component.
   *
   * - `spike-save`: A version was saved here. Detail: `{ room, version: { n, name, createdAt } }`.
   * - `spike-restore`: A version was restored into the live room. Detail: `{ room, version }`.
   * - `spike-fork`: A new room was made from a version. Detail: `{ room, forkedFrom: { room, version } }`: `room` is the new one.
   * - `spike-copy`: An embed snippet was copied. Detail: `{ room, version, snippet, copied }`: `copied` is false when the clipboard refused and the snippet is shown selected instead.
   *
   * ## Methods
   *
   * Methods that can be called to access component functionality.
   *
   * - `snippetFor(n: number, bundle?: string) => string`: The embed snippet pinned to version `n`: the element bundle of this server (pinned too when `bundle` names its
   * version, `/v/<bundle>/spike.js`, else the moving `/spike.js`) and the `embed` element on the room and version.
   * The Copy embed button pins the bundle to the version the server reports (`GET /api/health`).
   * - `refresh() => Promise<void>`: List the versions again (loads the element first).
   * - `save(name = "") => Promise<VersionEntry | null>`: Save the room as it is now as a version named `name`; resolves with it, or null when the server refused (the status
   * bar says why).
   * - `restore(n: number) => Promise<boolean>`: Restore version `n` into the live room without asking (the Restore button asks first); false when refused.
   * - `undoRestore() => Promise<boolean>`: Undo the last restore made here (the files someone changed since stay as they are); false when there is none or refused.
   * - `forkVersion(n: number | null) => Promise<{ room: string; forkedFrom: { room: string; version: number | null } } | null>`: Fork version `n` (null: the room as it is now) into a new room; resolves with it, or null when refused. (`fork` is the
   * room elements' `fork="auto"` setting.)
   * - `load() => Promise<void>`: Load the live part now, whatever `loading` says; resolves once it is in place (or rejects if its chunk failed to load).
   * - `resetFork() => void`: "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ## CSS Custom Properties
   *
   * CSS variables available for styling the component.
   *
   * - `--spike-versions-height`: Height of the element (the list scrolls). Default `auto`. (default: `undefined`)
   * - `--spike-border`: Border of the frame. Default `1px solid` a theme grey. (default: `undefined`)
   * - `--spike-radius`: Corner radius of the frame. Default `8px`. (default: `undefined`)
   * - `--spike-ui-font-family`: Font of the element. Default `system-ui, sans-serif`. (default: `undefined`)
   * - `--spike-accent`: Colour of the focus ring. Default a theme blue. (default: `undefined`)
   *
   * ## CSS Parts
   *
   * Custom selectors for styling elements within the component.
   *
   * - `base`: The frame around the element.
   * - `save`: The save form: the name field and the Save button.
   * - `input`: The version name field.
   * - `list`: The list of versions (an `<ol>`).
   * - `version`: One version of the list.
   * - `actions`: A version's Restore, Fork and Copy embed buttons.
   * - `confirm`: The restore confirmation that replaces a version's buttons.
   * - `empty`: "Loading versions…" or "No saved versions yet."
   * - `snippet`: The embed snippet, shown selected when the clipboard refused it.
   * - `fork-link`: The link to the room just forked.
   * - `undo`: The Undo button shown after a restore made here: sets the restored files back (except those changed since).
   * - `status`: The status bar: what is happening, what happened, or why it failed (a polite live region).
   * - `badge`: The "Read-only" badge, shown when the room lets this user watch but not change it.
   * - `sign-in`: The "Sign in" button, shown when Clerk is in use and nobody is signed in.
   * - `sign-in-error`: "Sign-in unavailable", shown when the element cannot use Clerk.
   */
  "spike-versions": Partial<
    SpikeVersionsProps & BaseProps<SpikeVersions> & BaseEvents
  >;
};

export type CustomElementsSolidJs = {
  /**
   * An AI chat about the project in a room: ask a question, watch the answer stream in (rendered as sanitized markdown),
   * and undo the edits a reply made to the files, or an AI agent's change over MCP ("Claude (MCP) changed index.tsx").
   * Everyone in the room sees the same chat live. `/image <prompt>` makes a picture and stores it as a room asset the app
   * can import.
   *
   * ## Attributes & Properties
   *
   * Component attributes and properties that can be applied to the element or by using JavaScript.
   *
   * - `model`: The model to ask, e.g. `gpt-4o-mini`, `gpt-4.1`, `claude-sonnet-4-5`, `claude-haiku-4-5`.
   * - `author`: The name shown on this user's messages. Defaults to the user's name in the room (as on their cursor).
   * - `loading`: When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
   * clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text.
   * - `room`: Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
   * that room; an element in no room edits or shows a local project seeded from its inline files.
   * - `project`: Without a room: the name of a local project shared with the other elements on this page that name it.
   * - `server`: Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from.
   * - `theme`: Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
   * Defaults to the `<spike-room>`'s, else `auto`.
   * - `persist`: Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
   * will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
   * holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
   * The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
   * computers.
   * - `fork`: `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
   * room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
   * the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
   * reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
   * `<spike-playground>`, it holds for the elements inside.
   * - `version`: A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
   * that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
   * changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
   * with its room. Anything but a whole number from 1 shows an error instead.
   * - `key`: The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
   * `#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
   * encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
   * with its room. Not reflected to the attribute.
   * - `clerk-publishable-key`/`clerkPublishableKey`: Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
   * server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
   * is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
   * server); for a different key given here, sign-in is unavailable and a console warning says why.
   * - `clerk-js-url`/`clerkJsUrl`: Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests).
   * - `messages`: The chat's messages, oldest first (a snapshot; empty until the chat loads). (property only) (readonly)
   * - `roomRole`: What the room lets this user do: `owner`, `editor`, `viewer` (may read the chat, not ask), or null when it has not said. (property only) (readonly)
   * - `isLive`: True once the live part has loaded (the element is no longer lite). (property only) (readonly)
   * - `templateRoom`: The template room: the room as given, before `fork="auto"` put the reader's fork in its place. (property only) (readonly)
   * - `forked`: True while `fork="auto"` shows the reader's fork of the template instead of the template. (property only) (readonly)
   * - `roomKey`: The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). (property only) (readonly)
   * - `getToken`: Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
   * expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
   * An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. (property only)
   * - `clerk`: A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
   * offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. (property only)
   *
   * ## Events
   *
   * Events that will be emitted by the component.
   *
   * - `spike-message`: A message appeared in the chat (sent here, by another user, the assistant's reply starting, or an AI agent's change: role `agent`). Detail: `{ id, role }`.
   * - `spike-auth-required`: The room refused the connection. Detail: `{ room, code, reason }` (4401 sign-in needed, 4403 no access).
   * - `spike-room-created`: This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`). Until it loads (see `loading`) it shows an empty log in the same box, with an "Open chat" button in `click` mode.
   *
   * ## Methods
   *
   * Methods that can be called to access component functionality.
   *
   * - `send(text?: string) => Promise<void>`: Send the textarea's text (or `text`) to the model, loading the chat first if it has not loaded. Resolves once the
   * server accepted it; the reply streams in later.
   * - `load() => Promise<void>`: Load the live part now, whatever `loading` says; resolves once it is in place (or rejects if its chunk failed to load).
   * - `resetFork() => void`: "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ## CSS Custom Properties
   *
   * CSS variables available for styling the component.
   *
   * - `--spike-chat-height`: Height of the element. Default `420px`. (default: `undefined`)
   * - `--spike-chat-background`: Background of the chat. Default a theme white/black. (default: `undefined`)
   * - `--spike-chat-user-background`: Background of user messages. Default a theme light blue. (default: `undefined`)
   * - `--spike-accent`: Colour of the Send button (its text is white). Default `#0969da`, dark `#1f6feb`. (default: `undefined`)
   * - `--spike-border`: Border of the frame. Default `1px solid` a theme grey. (default: `undefined`)
   * - `--spike-radius`: Corner radius of the frame. Default `8px`. (default: `undefined`)
   * - `--spike-font-family`: Font of code in replies. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`. (default: `undefined`)
   * - `--spike-ui-font-family`: Font of the chat. Default `system-ui, sans-serif`. (default: `undefined`)
   *
   * ## CSS Parts
   *
   * Custom selectors for styling elements within the component.
   *
   * - `base`: The frame around the chat.
   * - `activate`: The lite view's "Open chat" button (`loading="click"`).
   * - `messages`: The scrolling message log.
   * - `message`: One message (also `message-user`, `message-assistant`, or `message-agent` for an AI agent's change over MCP).
   * - `composer`: The textarea and Send button.
   * - `input`: The textarea.
   * - `send`: The Send button.
   * - `mic`: The microphone button: records a question, transcribed by `POST /api/transcribe` into the textarea.
   * - `image`: An `/image <prompt>` entry: the picture generated on the server (Replicate) and stored as a room asset, shown to this page.
   * - `image-progress`: "Generating the image…" while an `/image` request runs.
   * - `image-result`: The generated picture (an `<img>` of the room asset).
   * - `image-error`: Why an `/image` request failed.
   * - `status`: The status bar: who is typing, the last error, the connection (a polite live region).
   * - `badge`: The "Read-only" badge, shown when the room lets this user watch but not ask.
   * - `sign-in`: The "Sign in" button, shown when Clerk is in use and nobody is signed in.
   * - `sign-in-error`: "Sign-in unavailable", shown instead when the element cannot use Clerk (say, the page's own `window.Clerk` has another publishable key); its `title` says why.
   */
  "spike-chat": Partial<
    SpikeChatProps & SpikeChatSolidJsProps & BaseProps<SpikeChat> & BaseEvents
  >;

  /**
   * The console of a `<spike-preview>`: what the previewed code logs, by level, with objects you can expand, and build and
   * runtime errors with file:line links that jump to the editor.
   *
   * ## Attributes & Properties
   *
   * Component attributes and properties that can be applied to the element or by using JavaScript.
   *
   * - `for`: The id of the `<spike-preview>` to show (in the same document or shadow root). Without it: every preview of the same room or project there.
   * - `editor`: The id of the `<spike-editor>` a file:line link reveals in. Without it: the first editor of the same room or project showing that file, else the first one.
   * - `max-lines`/`maxLines`: How many lines to keep; the oldest go first, and a note says how many went.
   * - `room`: Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
   * that room; an element in no room edits or shows a local project seeded from its inline files.
   * - `project`: Without a room: the name of a local project shared with the other elements on this page that name it.
   * - `server`: Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from.
   * - `theme`: Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
   * Defaults to the `<spike-room>`'s, else `auto`.
   * - `persist`: Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
   * will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
   * holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
   * The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
   * computers.
   * - `fork`: `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
   * room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
   * the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
   * reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
   * `<spike-playground>`, it holds for the elements inside.
   * - `version`: A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
   * that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
   * changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
   * with its room. Anything but a whole number from 1 shows an error instead.
   * - `key`: The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
   * `#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
   * encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
   * with its room. Not reflected to the attribute.
   * - `clerk-publishable-key`/`clerkPublishableKey`: Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
   * server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
   * is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
   * server); for a different key given here, sign-in is unavailable and a console warning says why.
   * - `clerk-js-url`/`clerkJsUrl`: Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests).
   * - `lines`: The kept lines, oldest first: `{ level, kind, text, values, location, stack, count }` each (a snapshot). (property only) (readonly)
   * - `dropped`: How many older lines were dropped to stay within `max-lines` since the last clear. (property only) (readonly)
   * - `templateRoom`: The template room: the room as given, before `fork="auto"` put the reader's fork in its place. (property only) (readonly)
   * - `forked`: True while `fork="auto"` shows the reader's fork of the template instead of the template. (property only) (readonly)
   * - `roomKey`: The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). (property only) (readonly)
   * - `getToken`: Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
   * expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
   * An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. (property only)
   * - `clerk`: A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
   * offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. (property only)
   *
   * ## Events
   *
   * Events that will be emitted by the component.
   *
   * - `spike-navigate`: A file:line link was clicked. Detail: `{ file, line, column }` (1-based). Cancelable: unless a listener calls preventDefault(), the console calls `reveal()` on the editor beside it.
   *
   * ## Methods
   *
   * Methods that can be called to access component functionality.
   *
   * - `clear() => void`: Remove every line.
   * - `resetFork() => void`: "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ## CSS Custom Properties
   *
   * CSS variables available for styling the component.
   *
   * - `--spike-console-height`: Height of the element. Default `220px`. (default: `undefined`)
   * - `--spike-console-background`: Background of the lines. Default a theme white/black. (default: `undefined`)
   * - `--spike-border`: Border of the frame. Default `1px solid` a theme grey. (default: `undefined`)
   * - `--spike-radius`: Corner radius of the frame. Default `8px`. (default: `undefined`)
   * - `--spike-font-family`: Font of the lines. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`. (default: `undefined`)
   * - `--spike-ui-font-family`: Font of the toolbar. Default `system-ui, sans-serif`. (default: `undefined`)
   *
   * ## CSS Parts
   *
   * Custom selectors for styling elements within the component.
   *
   * - `base`: The frame around the toolbar and the lines.
   * - `toolbar`: The level filters and the Clear button.
   * - `filter`: One level's filter button (`aria-pressed` says whether its lines show); also `filter-<level>`.
   * - `clear`: The Clear button.
   * - `lines`: The scrolling list of lines.
   * - `line`: One line; also `line-<level>` (`line-error`, `line-warn`, `line-info`, `line-log`, `line-debug`).
   * - `tree`: An object argument: a `<details>` whose entries show when opened.
   * - `link`: A file:line button that shows the place in the editor.
   * - `dropped`: The note that older lines were dropped to stay within `max-lines`.
   * - `empty`: What the list says before anything was logged.
   */
  "spike-console": Partial<
    SpikeConsoleProps &
      SpikeConsoleSolidJsProps &
      BaseProps<SpikeConsole> &
      BaseEvents
  >;

  /**
   * A live, collaborative TypeScript/TSX code editor (Monaco) for one file of a spike project.
   *
   * ## Attributes & Properties
   *
   * Component attributes and properties that can be applied to the element or by using JavaScript.
   *
   * - `file`: The project file to edit.
   * - `readonly`: Show the file without allowing edits.
   * - `loading`: When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
   * clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text.
   * - `room`: Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
   * that room; an element in no room edits or shows a local project seeded from its inline files.
   * - `project`: Without a room: the name of a local project shared with the other elements on this page that name it.
   * - `server`: Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from.
   * - `theme`: Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
   * Defaults to the `<spike-room>`'s, else `auto`.
   * - `persist`: Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
   * will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
   * holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
   * The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
   * computers.
   * - `fork`: `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
   * room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
   * the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
   * reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
   * `<spike-playground>`, it holds for the elements inside.
   * - `version`: A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
   * that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
   * changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
   * with its room. Anything but a whole number from 1 shows an error instead.
   * - `key`: The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
   * `#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
   * encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
   * with its room. Not reflected to the attribute.
   * - `clerk-publishable-key`/`clerkPublishableKey`: Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
   * server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
   * is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
   * server); for a different key given here, sign-in is unavailable and a console warning says why.
   * - `clerk-js-url`/`clerkJsUrl`: Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests).
   * - `status`: Connection state: `connecting`, `connected`, `offline`, or `local` for a room-less editor (also before it loads). (property only) (readonly)
   * - `roomRole`: What the room lets this user do: `owner`, `editor`, `viewer` (read-only), or null when it has not said (anyone edits). (property only) (readonly)
   * - `isLive`: True once the live part has loaded (the element is no longer lite). (property only) (readonly)
   * - `templateRoom`: The template room: the room as given, before `fork="auto"` put the reader's fork in its place. (property only) (readonly)
   * - `forked`: True while `fork="auto"` shows the reader's fork of the template instead of the template. (property only) (readonly)
   * - `roomKey`: The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). (property only) (readonly)
   * - `getToken`: Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
   * expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
   * An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. (property only)
   * - `clerk`: A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
   * offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. (property only)
   *
   * ## Events
   *
   * Events that will be emitted by the component.
   *
   * - `spike-change`: The file's text changed, locally or by another user. Detail: `{ file, text, remote }`.
   * - `spike-status`: The connection state changed, or who else is here and how they are reached. Detail: `{ status, peers }`: `connecting | connected | offline | local`, and `{ clientId, name, transport: "webrtc" | "websocket" }` per other client.
   * - `spike-auth-required`: The room refused the connection. Detail: `{ room, code, reason }`: code 4401 needs sign-in (or a fresh token), 4403 means the signed-in user has no access. A new token source or a sign-in reconnects.
   * - `spike-fork`: With `fork="auto"`, the reader's typing in the read-only template moved them to their own fork. Detail: `{ room, template }`.
   * - `spike-fork-error`: With `fork="auto"`, forking the template failed (say, the room-creation limit). Detail: `{ template, message }`.
   * - `spike-room-created`: This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`). Until it loads (see `loading`) it shows the file as highlighted, selectable text in the same box (the lite view), from its inline sources, or (in `click` mode, for a room) the file's text over HTTP (no socket), else a placeholder.
   *
   * ## Methods
   *
   * Methods that can be called to access component functionality.
   *
   * - `reveal(file: string, line: number, column = 1) => Promise<void>`: Show `file` with the caret at `line` and `column` (1-based; clamped to the file), scrolled into view, and focus the
   * editor. Loads the editor first if it has not loaded. `<spike-console>` calls it for a clicked file:line link.
   * - `load() => Promise<void>`: Load the live part now, whatever `loading` says; resolves once it is in place (or rejects if its chunk failed to load).
   * - `resetFork() => void`: "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ## CSS Custom Properties
   *
   * CSS variables available for styling the component.
   *
   * - `--spike-editor-height`: Height of the element. Default `320px`. (default: `undefined`)
   * - `--spike-border`: Border of the frame. Default `1px solid` a theme grey. (default: `undefined`)
   * - `--spike-radius`: Corner radius of the frame. Default `8px`. (default: `undefined`)
   * - `--spike-font-family`: Code font. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`. (default: `undefined`)
   * - `--spike-font-size`: Code font size in px. Default `14px`. (default: `undefined`)
   * - `--spike-ui-font-family`: Font of the status bar. Default `system-ui, sans-serif`. (default: `undefined`)
   *
   * ## CSS Parts
   *
   * Custom selectors for styling elements within the component.
   *
   * - `base`: The frame around editor and status bar (also around the lite view).
   * - `code`: The lite view's highlighted code (a `<pre>`), shown until the editor loads.
   * - `activate`: The lite view's "Click to edit" button (`loading="click"`).
   * - `editor`: The region Monaco renders into (role "region", labelled with the file name).
   * - `loading`: The loading state shown until Monaco and the room are ready (or the error if loading failed).
   * - `hint`: The keyboard hint ("Press Esc then Tab to leave the editor…"), shown when the editor gets the focus from the keyboard; it also describes the editing surface to screen readers.
   * - `status`: The status bar: file name, people in the room, connection state (a polite live region).
   * - `keys`: What Tab does now (`Esc, Tab: leave` or `Tab moves focus`), in the status bar while the editor has the focus.
   * - `drop-status`: What the last drop of image or font files did ("Uploading logo.png…", "Uploaded logo.png", or why not), in the status bar. Dropping images or fonts on a room's editor uploads them as room assets and inserts their imports.
   * - `badge`: The "Read-only" badge, shown when the room lets this user watch but not edit (with `fork="auto"`: "Template: type to edit your copy"; "Version <n>" for a saved version, `version`).
   * - `reset-fork`: The "Reset to original" button, shown while `fork="auto"` shows the reader's fork: back to the template.
   * - `sign-in`: The "Sign in" button, shown when Clerk is in use and nobody is signed in.
   * - `sign-in-error`: "Sign-in unavailable", shown instead when the element cannot use Clerk (say, the page's own `window.Clerk` has another publishable key); its `title` says why.
   */
  "spike-editor": Partial<
    SpikeEditorProps &
      SpikeEditorSolidJsProps &
      BaseProps<SpikeEditor> &
      BaseEvents
  >;

  /**
   * A whole playground in one element: `<spike-tabs>`, `<spike-editor>`, `<spike-preview>`, `<spike-console>`, with
   * `chat` `<spike-chat>`, and with `versions` `<spike-versions>` (the room's saved versions), on one room (or, without one, one local project seeded from the inline files). Each part is the
   * element of the same name, so anything it does on its own it does here. The playground is also the room for anything
   * in its light DOM (as `<spike-room>` is), and it shows that content after its panes.
   *
   * `layout="split"` (the default) puts the code beside the preview and console; the separator between them is dragged with
   * a pointer or moved with the keyboard (arrow keys, Shift for bigger steps, Home and End). `tabs` shows one view at a
   * time behind a tab list; `stacked` puts everything in one column at natural heights, so the page scrolls. Below
   * `stack-below` pixels of its own width (not the viewport's), any layout is shown stacked.
   *
   * The inner elements' parts are re-exported with the element's name in front: `editor-base`, `editor-status`,
   * `preview-frame`, `preview-error`, `console-base`, `tabs-base`, `chat-messages`, `versions-list` and so on.
   *
   * With `version="<n>"` the whole playground shows that saved version of the room, read-only (its preview runs it).
   *
   * ## Attributes & Properties
   *
   * Component attributes and properties that can be applied to the element or by using JavaScript.
   *
   * - `layout`: `split` (code beside output), `tabs` (one view at a time) or `stacked` (one column); any other value counts as `split`.
   * - `stack-below`/`stackBelow`: Below this width of the element, in CSS pixels, the layout is `stacked` whatever `layout` says; 0: never.
   * - `split`: The code pane's share of the `split` layout's width, in percent (20 to 80). The separator changes it.
   * - `view`: In the `tabs` layout, the view shown: `code`, `preview`, `console`, (with `chat`) `chat` or (with `versions`)
   * `versions`. The view tabs change it.
   * - `file`: The file the editor shows (and the file tabs select). Defaults to `index.tsx`, else the first inline file.
   * - `entry`: The file the preview runs. Defaults to the project's own entry, else `index.tsx`.
   * - `chat`: Show a chat pane (`<spike-chat>`) on the same room.
   * - `versions`: Show a versions pane (`<spike-versions>`) on the same room: save, restore, fork and embed saved versions.
   * - `readonly`: Show the files without allowing edits (the editor's and the file tabs' `readonly`).
   * - `loading`: When the editor, preview and chat load their live parts (their `loading`): `lazy` (default), `eager` or `click`.
   * - `room`: Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
   * that room; an element in no room edits or shows a local project seeded from its inline files.
   * - `project`: Without a room: the name of a local project shared with the other elements on this page that name it.
   * - `server`: Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from.
   * - `theme`: Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
   * Defaults to the `<spike-room>`'s, else `auto`.
   * - `persist`: Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
   * will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
   * holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
   * The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
   * computers.
   * - `fork`: `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
   * room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
   * the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
   * reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
   * `<spike-playground>`, it holds for the elements inside.
   * - `version`: A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
   * that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
   * changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
   * with its room. Anything but a whole number from 1 shows an error instead.
   * - `key`: The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
   * `#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
   * encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
   * with its room. Not reflected to the attribute.
   * - `clerk-publishable-key`/`clerkPublishableKey`: Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
   * server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
   * is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
   * server); for a different key given here, sign-in is unavailable and a console warning says why.
   * - `clerk-js-url`/`clerkJsUrl`: Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests).
   * - `currentLayout`: The layout shown now: `layout`, or `stacked` while the element is narrower than `stack-below`. (property only) (readonly)
   * - `templateRoom`: The template room: the room as given, before `fork="auto"` put the reader's fork in its place. (property only) (readonly)
   * - `forked`: True while `fork="auto"` shows the reader's fork of the template instead of the template. (property only) (readonly)
   * - `roomKey`: The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). (property only) (readonly)
   * - `getToken`: Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
   * expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
   * An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. (property only)
   * - `clerk`: A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
   * offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. (property only)
   *
   * ## Slots
   *
   * Areas where markup can be added to the component.
   *
   * - `(default)`: Inline files (`<script type="text/plain" data-file="index.tsx">`), which seed the project (a room that is still empty, or the playground's own local project), and anything else, shown after the panes and in the same room.
   *
   * ## Methods
   *
   * Methods that can be called to access component functionality.
   *
   * - `resetFork() => void`: "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ## CSS Custom Properties
   *
   * CSS variables available for styling the component.
   *
   * - `--spike-playground-height`: Height of the `split` and `tabs` layouts. Default `480px`. (default: `undefined`)
   * - `--spike-playground-console-height`: Height of the console: a share of the output pane in `split` (default `35%`), a length when stacked (default `180px`). (default: `undefined`)
   * - `--spike-playground-chat-width`: Width of the chat in `split`. Default `30%`. (default: `undefined`)
   * - `--spike-playground-versions-width`: Width of the versions pane in `split`. Default `30%`. (default: `undefined`)
   * - `--spike-editor-height`: Height of the editor when stacked. Default `300px`. (default: `undefined`)
   * - `--spike-preview-height`: Height of the preview when stacked. Default `300px`. (default: `undefined`)
   * - `--spike-border`: Border of the frame (the elements inside draw none). Default `1px solid` a theme grey. (default: `undefined`)
   * - `--spike-radius`: Corner radius of the frame. Default `8px`. (default: `undefined`)
   * - `--spike-ui-font-family`: Font of the view tabs. Default `system-ui, sans-serif`. (default: `undefined`)
   *
   * ## CSS Parts
   *
   * Custom selectors for styling elements within the component.
   *
   * - `base`: The frame around the playground.
   * - `views`: The tab list choosing the view (`tabs` layout only).
   * - `view`: One tab of that list.
   * - `code`: The pane with the file tabs and the editor.
   * - `output`: The pane with the preview and the console.
   * - `separator`: The separator between the code and output panes (`split` layout only; role "separator").
   * - `console`: The pane around the console.
   * - `chat`: The pane around the chat (with `chat`).
   * - `versions`: The pane around the versions (with `versions`).
   */
  "spike-playground": Partial<
    SpikePlaygroundProps &
      SpikePlaygroundSolidJsProps &
      BaseProps<SpikePlayground> &
      BaseEvents
  >;

  /**
   * A live preview of a spike project: the entry's default export React component (or the module itself) running in an
   * isolated iframe on another site, re-rendered on every edit. Its status bar and error overlay follow the `theme`; the app
   * does not (it is the user's page: it draws on `--spike-preview-background` like a fresh page, and gets no colour-scheme
   * hint).
   *
   * ## Attributes & Properties
   *
   * Component attributes and properties that can be applied to the element or by using JavaScript.
   *
   * - `entry`: The file to run. Defaults to the project's own entry, else `index.tsx`.
   * - `loading`: When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
   * clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text.
   * - `room`: Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
   * that room; an element in no room edits or shows a local project seeded from its inline files.
   * - `project`: Without a room: the name of a local project shared with the other elements on this page that name it.
   * - `server`: Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from.
   * - `theme`: Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
   * Defaults to the `<spike-room>`'s, else `auto`.
   * - `persist`: Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
   * will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
   * holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
   * The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
   * computers.
   * - `fork`: `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
   * room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
   * the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
   * reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
   * `<spike-playground>`, it holds for the elements inside.
   * - `version`: A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
   * that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
   * changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
   * with its room. Anything but a whole number from 1 shows an error instead.
   * - `key`: The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
   * `#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
   * encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
   * with its room. Not reflected to the attribute.
   * - `clerk-publishable-key`/`clerkPublishableKey`: Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
   * server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
   * is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
   * server); for a different key given here, sign-in is unavailable and a console warning says why.
   * - `clerk-js-url`/`clerkJsUrl`: Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests).
   * - `currentEntry`: The entry file the preview runs now (before it loads: `entry`, else `index.tsx`). (property only) (readonly)
   * - `isLive`: True once the live part has loaded (the element is no longer lite). (property only) (readonly)
   * - `templateRoom`: The template room: the room as given, before `fork="auto"` put the reader's fork in its place. (property only) (readonly)
   * - `forked`: True while `fork="auto"` shows the reader's fork of the template instead of the template. (property only) (readonly)
   * - `roomKey`: The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). (property only) (readonly)
   * - `getToken`: Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
   * expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
   * An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. (property only)
   * - `clerk`: A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
   * offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. (property only)
   *
   * ## Events
   *
   * Events that will be emitted by the component.
   *
   * - `spike-render`: The preview shows the current code. Detail: `{ entry, mode }`, mode `react` or `module`.
   * - `spike-error`: A build error (syntax, with file:line) or a runtime error in the preview. Detail: `{ kind, message, file, line, column }`.
   * - `spike-console`: The previewed code wrote to the console. Detail: `{ level, args }`, args formatted as text. At most 300 at once and 100 a second; past that, messages are dropped and one `warn` entry a second says how many.
   * - `spike-auth-required`: The room refused the connection. Detail: `{ room, code, reason }` (4401 sign-in needed, 4403 no access).
   * - `spike-room-created`: This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`). Until it loads (see `loading`) it shows a poster with a "Run" button in the same box.
   *
   * ## Methods
   *
   * Methods that can be called to access component functionality.
   *
   * - `load() => Promise<void>`: Load the live part now, whatever `loading` says; resolves once it is in place (or rejects if its chunk failed to load).
   * - `resetFork() => void`: "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ## CSS Custom Properties
   *
   * CSS variables available for styling the component.
   *
   * - `--spike-preview-height`: Height of the element. Default `320px`. (default: `undefined`)
   * - `--spike-preview-background`: Background behind the previewed app. Default `#ffffff`. (default: `undefined`)
   * - `--spike-border`: Border of the frame. Default `1px solid` a theme grey. (default: `undefined`)
   * - `--spike-radius`: Corner radius of the frame. Default `8px`. (default: `undefined`)
   * - `--spike-font-family`: Font of file names and error messages. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`. (default: `undefined`)
   * - `--spike-ui-font-family`: Font of the status bar. Default `system-ui, sans-serif`. (default: `undefined`)
   *
   * ## CSS Parts
   *
   * Custom selectors for styling elements within the component.
   *
   * - `base`: The frame around the preview and status bar (also around the poster).
   * - `activate`: The poster's "Run" button, shown until the preview loads.
   * - `frame`: The iframe the project runs in.
   * - `error`: The build error overlay (message and file:line), shown over the last good render.
   * - `status`: The status bar: entry file and state (a polite live region).
   * - `badge`: The "Version <n>" badge, shown when the preview runs a saved version (`version`).
   * - `sign-in`: The "Sign in" button, shown when Clerk is in use and nobody is signed in.
   * - `sign-in-error`: "Sign-in unavailable", shown instead when the element cannot use Clerk (say, the page's own `window.Clerk` has another publishable key); its `title` says why.
   */
  "spike-preview": Partial<
    SpikePreviewProps &
      SpikePreviewSolidJsProps &
      BaseProps<SpikePreview> &
      BaseEvents
  >;

  /**
   * Hands one room to every spike element inside it, however deep (also inside other components' shadow roots), so they
   * need no attributes of their own: `<spike-room room="demo"><spike-editor></spike-editor></spike-room>`.
   * An element's own `room` or `project` wins (then it takes neither from here); its own `server`, `theme` and sign-in
   * properties win one by one (sign-in as one set). When a setting changes here, every element that uses it follows: a new
   * room is opened and the old one let go. A `<spike-room>` inside another takes what it does not set from the outer one.
   * Elements added, moved in or out, or upgraded before this element was defined, find (or leave) it by themselves.
   * It draws nothing of its own (`display: contents`): its children lay out as if it were not there.
   *
   * ## Attributes & Properties
   *
   * Component attributes and properties that can be applied to the element or by using JavaScript.
   *
   * - `room`: Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
   * that room; an element in no room edits or shows a local project seeded from its inline files.
   * - `project`: Without a room: the name of a local project shared with the other elements on this page that name it.
   * - `server`: Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from.
   * - `theme`: Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
   * Defaults to the `<spike-room>`'s, else `auto`.
   * - `persist`: Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
   * will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
   * holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
   * The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
   * computers.
   * - `fork`: `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
   * room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
   * the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
   * reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
   * `<spike-playground>`, it holds for the elements inside.
   * - `version`: A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
   * that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
   * changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
   * with its room. Anything but a whole number from 1 shows an error instead.
   * - `key`: The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
   * `#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
   * encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
   * with its room. Not reflected to the attribute.
   * - `clerk-publishable-key`/`clerkPublishableKey`: Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
   * server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
   * is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
   * server); for a different key given here, sign-in is unavailable and a console warning says why.
   * - `clerk-js-url`/`clerkJsUrl`: Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests).
   * - `templateRoom`: The template room: the room as given, before `fork="auto"` put the reader's fork in its place. (property only) (readonly)
   * - `forked`: True while `fork="auto"` shows the reader's fork of the template instead of the template. (property only) (readonly)
   * - `roomKey`: The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). (property only) (readonly)
   * - `getToken`: Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
   * expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
   * An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. (property only)
   * - `clerk`: A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
   * offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. (property only)
   *
   * ## Slots
   *
   * Areas where markup can be added to the component.
   *
   * - `(default)`: The page content: spike elements, and anything around them.
   *
   * ## Methods
   *
   * Methods that can be called to access component functionality.
   *
   * - `resetFork() => void`: "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   */
  "spike-room": Partial<
    SpikeRoomProps & SpikeRoomSolidJsProps & BaseProps<SpikeRoom> & BaseEvents
  >;

  /**
   * The file tabs of a spike project: one tab per file (hidden files get none), the entry file marked, read-only files marked.
   * Pick a tab with a click or the arrow keys; add, rename (F2 or a double-click) and delete (the Delete key, confirmed)
   * files with the buttons beside the tabs. Every collaborator in the room sees the change at once.
   *
   * Standalone, it drives the `<spike-editor>` its `editor` attribute names (by id), else the first `<spike-editor>` of
   * the same room (or project) in its document or shadow root. Without a room or project it lists its own inline files.
   *
   * ## Attributes & Properties
   *
   * Component attributes and properties that can be applied to the element or by using JavaScript.
   *
   * - `file`: The selected file. Unset, it is the editor's file (else the entry); picking a tab or a rename or delete sets it.
   * - `readonly`: List the files without the Add, Rename and Delete buttons (and without F2 and Delete).
   * - `editor`: The id of the `<spike-editor>` to drive (in the same document or shadow root); unset: the first of the same room.
   * - `loading`: When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
   * clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text.
   * - `room`: Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
   * that room; an element in no room edits or shows a local project seeded from its inline files.
   * - `project`: Without a room: the name of a local project shared with the other elements on this page that name it.
   * - `server`: Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from.
   * - `theme`: Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
   * Defaults to the `<spike-room>`'s, else `auto`.
   * - `persist`: Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
   * will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
   * holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
   * The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
   * computers.
   * - `fork`: `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
   * room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
   * the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
   * reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
   * `<spike-playground>`, it holds for the elements inside.
   * - `version`: A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
   * that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
   * changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
   * with its room. Anything but a whole number from 1 shows an error instead.
   * - `key`: The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
   * `#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
   * encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
   * with its room. Not reflected to the attribute.
   * - `clerk-publishable-key`/`clerkPublishableKey`: Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
   * server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
   * is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
   * server); for a different key given here, sign-in is unavailable and a console warning says why.
   * - `clerk-js-url`/`clerkJsUrl`: Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests).
   * - `files`: The files with a tab, sorted by name (hidden files left out; empty until the tabs load). (property only) (readonly)
   * - `isLive`: True once the live part has loaded (the element is no longer lite). (property only) (readonly)
   * - `templateRoom`: The template room: the room as given, before `fork="auto"` put the reader's fork in its place. (property only) (readonly)
   * - `forked`: True while `fork="auto"` shows the reader's fork of the template instead of the template. (property only) (readonly)
   * - `roomKey`: The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). (property only) (readonly)
   * - `getToken`: Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
   * expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
   * An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. (property only)
   * - `clerk`: A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
   * offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. (property only)
   *
   * ## Events
   *
   * Events that will be emitted by the component.
   *
   * - `spike-file-select`: The user picked a tab. Detail: `{ file }`. Cancelable: unless a listener calls `preventDefault()`, the tabs switch their editor to the file.
   *
   * ## Methods
   *
   * Methods that can be called to access component functionality.
   *
   * - `load() => Promise<void>`: Load the live part now, whatever `loading` says; resolves once it is in place (or rejects if its chunk failed to load).
   * - `resetFork() => void`: "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ## CSS Custom Properties
   *
   * CSS variables available for styling the component.
   *
   * - `--spike-border`: Border of the frame. Default `1px solid` a theme grey. (default: `undefined`)
   * - `--spike-radius`: Corner radius of the frame. Default `8px`. (default: `undefined`)
   * - `--spike-font-family`: Font of the file names. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`. (default: `undefined`)
   * - `--spike-ui-font-family`: Font of the buttons and messages. Default `system-ui, sans-serif`. (default: `undefined`)
   * - `--spike-accent`: Colour of the selected tab's underline and the focus ring. Default a theme blue. (default: `undefined`)
   *
   * ## CSS Parts
   *
   * Custom selectors for styling elements within the component.
   *
   * - `base`: The frame around the tabs and the buttons.
   * - `tablist`: The strip of tabs (role "tablist").
   * - `tab`: One tab (also `tab-selected` on the selected one).
   * - `entry`: The "entry" mark on the entry file's tab.
   * - `readonly`: The lock on a read-only file's tab.
   * - `actions`: The Add, Rename and Delete buttons (left out with `readonly`).
   * - `form`: The name field of Add and Rename, and the confirmation of Delete, shown below the tabs.
   * - `input`: The file name field.
   * - `error`: Why a name or an operation was refused (role "alert").
   */
  "spike-tabs": Partial<
    SpikeTabsProps & SpikeTabsSolidJsProps & BaseProps<SpikeTabs> & BaseEvents
  >;

  /**
   * The saved versions of a room, newest first: save the room as a named version, restore one (after a confirmation; the
   * restore is one edit everyone in the room sees, and can be undone), fork one into a new room, and copy an embed snippet
   * pinned to one (`version="<n>"`, which never changes). Saving and restoring are for the room's editors and owner; a
   * reader who may only watch still lists, forks and copies. Calls carry the room's sign-in (the same token as its socket).
   *
   * ## Attributes & Properties
   *
   * Component attributes and properties that can be applied to the element or by using JavaScript.
   *
   * - `embed`: The element an embed snippet uses: `spike-playground` (default), `spike-editor`, `spike-preview` or any room element.
   * - `loading`: When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
   * clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text.
   * - `room`: Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
   * that room; an element in no room edits or shows a local project seeded from its inline files.
   * - `project`: Without a room: the name of a local project shared with the other elements on this page that name it.
   * - `server`: Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from.
   * - `theme`: Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
   * Defaults to the `<spike-room>`'s, else `auto`.
   * - `persist`: Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
   * will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
   * holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
   * The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
   * computers.
   * - `fork`: `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
   * room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
   * the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
   * reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
   * `<spike-playground>`, it holds for the elements inside.
   * - `version`: A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
   * that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
   * changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
   * with its room. Anything but a whole number from 1 shows an error instead.
   * - `key`: The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
   * `#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
   * encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
   * with its room. Not reflected to the attribute.
   * - `clerk-publishable-key`/`clerkPublishableKey`: Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
   * server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
   * is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
   * server); for a different key given here, sign-in is unavailable and a console warning says why.
   * - `clerk-js-url`/`clerkJsUrl`: Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests).
   * - `versions`: The room's versions, newest first, as last listed (empty until the element has loaded). (property only) (readonly)
   * - `roomRole`: What the room lets this user do: `owner`, `editor`, `viewer` (lists, forks, copies), or null when it has not said. (property only) (readonly)
   * - `isLive`: True once the live part has loaded (the element is no longer lite). (property only) (readonly)
   * - `templateRoom`: The template room: the room as given, before `fork="auto"` put the reader's fork in its place. (property only) (readonly)
   * - `forked`: True while `fork="auto"` shows the reader's fork of the template instead of the template. (property only) (readonly)
   * - `roomKey`: The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). (property only) (readonly)
   * - `getToken`: Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
   * expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
   * An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. (property only)
   * - `clerk`: A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
   * offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. (property only)
   *
   * ## Events
   *
   * Events that will be emitted by the component.
   *
   * - `spike-save`: A version was saved here. Detail: `{ room, version: { n, name, createdAt } }`.
   * - `spike-restore`: A version was restored into the live room. Detail: `{ room, version }`.
   * - `spike-fork`: A new room was made from a version. Detail: `{ room, forkedFrom: { room, version } }`: `room` is the new one.
   * - `spike-copy`: An embed snippet was copied. Detail: `{ room, version, snippet, copied }`: `copied` is false when the clipboard refused and the snippet is shown selected instead.
   *
   * ## Methods
   *
   * Methods that can be called to access component functionality.
   *
   * - `snippetFor(n: number, bundle?: string) => string`: The embed snippet pinned to version `n`: the element bundle of this server (pinned too when `bundle` names its
   * version, `/v/<bundle>/spike.js`, else the moving `/spike.js`) and the `embed` element on the room and version.
   * The Copy embed button pins the bundle to the version the server reports (`GET /api/health`).
   * - `refresh() => Promise<void>`: List the versions again (loads the element first).
   * - `save(name = "") => Promise<VersionEntry | null>`: Save the room as it is now as a version named `name`; resolves with it, or null when the server refused (the status
   * bar says why).
   * - `restore(n: number) => Promise<boolean>`: Restore version `n` into the live room without asking (the Restore button asks first); false when refused.
   * - `undoRestore() => Promise<boolean>`: Undo the last restore made here (the files someone changed since stay as they are); false when there is none or refused.
   * - `forkVersion(n: number | null) => Promise<{ room: string; forkedFrom: { room: string; version: number | null } } | null>`: Fork version `n` (null: the room as it is now) into a new room; resolves with it, or null when refused. (`fork` is the
   * room elements' `fork="auto"` setting.)
   * - `load() => Promise<void>`: Load the live part now, whatever `loading` says; resolves once it is in place (or rejects if its chunk failed to load).
   * - `resetFork() => void`: "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ## CSS Custom Properties
   *
   * CSS variables available for styling the component.
   *
   * - `--spike-versions-height`: Height of the element (the list scrolls). Default `auto`. (default: `undefined`)
   * - `--spike-border`: Border of the frame. Default `1px solid` a theme grey. (default: `undefined`)
   * - `--spike-radius`: Corner radius of the frame. Default `8px`. (default: `undefined`)
   * - `--spike-ui-font-family`: Font of the element. Default `system-ui, sans-serif`. (default: `undefined`)
   * - `--spike-accent`: Colour of the focus ring. Default a theme blue. (default: `undefined`)
   *
   * ## CSS Parts
   *
   * Custom selectors for styling elements within the component.
   *
   * - `base`: The frame around the element.
   * - `save`: The save form: the name field and the Save button.
   * - `input`: The version name field.
   * - `list`: The list of versions (an `<ol>`).
   * - `version`: One version of the list.
   * - `actions`: A version's Restore, Fork and Copy embed buttons.
   * - `confirm`: The restore confirmation that replaces a version's buttons.
   * - `empty`: "Loading versions…" or "No saved versions yet."
   * - `snippet`: The embed snippet, shown selected when the clipboard refused it.
   * - `fork-link`: The link to the room just forked.
   * - `undo`: The Undo button shown after a restore made here: sets the restored files back (except those changed since).
   * - `status`: The status bar: what is happening, what happened, or why it failed (a polite live region).
   * - `badge`: The "Read-only" badge, shown when the room lets this user watch but not change it.
   * - `sign-in`: The "Sign in" button, shown when Clerk is in use and nobody is signed in.
   * - `sign-in-error`: "Sign-in unavailable", shown when the element cannot use Clerk.
   */
  "spike-versions": Partial<
    SpikeVersionsProps &
      SpikeVersionsSolidJsProps &
      BaseProps<SpikeVersions> &
      BaseEvents
  >;
};

export type CustomCssProperties = {
  /** Height of the element. Default `420px`. */
  "--spike-chat-height"?: string | undefined;
  /** Background of the chat. Default a theme white/black. */
  "--spike-chat-background"?: string | undefined;
  /** Background of user messages. Default a theme light blue. */
  "--spike-chat-user-background"?: string | undefined;
  /** Colour of the Send button (its text is white). Default `#0969da`, dark `#1f6feb`. */
  "--spike-accent"?: string | undefined;
  /** Border of the frame. Default `1px solid` a theme grey. */
  "--spike-border"?: string | undefined;
  /** Corner radius of the frame. Default `8px`. */
  "--spike-radius"?: string | undefined;
  /** Font of code in replies. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`. */
  "--spike-font-family"?: string | undefined;
  /** Font of the chat. Default `system-ui, sans-serif`. */
  "--spike-ui-font-family"?: string | undefined;
  /** Height of the element. Default `220px`. */
  "--spike-console-height"?: string | undefined;
  /** Background of the lines. Default a theme white/black. */
  "--spike-console-background"?: string | undefined;
  /** Height of the element. Default `320px`. */
  "--spike-editor-height"?: string | undefined;
  /** Code font size in px. Default `14px`. */
  "--spike-font-size"?: string | undefined;
  /** Height of the `split` and `tabs` layouts. Default `480px`. */
  "--spike-playground-height"?: string | undefined;
  /** Height of the console: a share of the output pane in `split` (default `35%`), a length when stacked (default `180px`). */
  "--spike-playground-console-height"?: string | undefined;
  /** Width of the chat in `split`. Default `30%`. */
  "--spike-playground-chat-width"?: string | undefined;
  /** Width of the versions pane in `split`. Default `30%`. */
  "--spike-playground-versions-width"?: string | undefined;
  /** Height of the preview when stacked. Default `300px`. */
  "--spike-preview-height"?: string | undefined;
  /** Background behind the previewed app. Default `#ffffff`. */
  "--spike-preview-background"?: string | undefined;
  /** Height of the element (the list scrolls). Default `auto`. */
  "--spike-versions-height"?: string | undefined;
};

declare module "react" {
  namespace JSX {
    interface IntrinsicElements extends CustomElements {}
  }
  export interface CSSProperties extends CustomCssProperties {}
}

declare module "react/jsx-runtime" {
  namespace JSX {
    interface IntrinsicElements extends CustomElements {}
  }
  export interface CSSProperties extends CustomCssProperties {}
}

declare module "react/jsx-dev-runtime" {
  namespace JSX {
    interface IntrinsicElements extends CustomElements {}
  }
  export interface CSSProperties extends CustomCssProperties {}
}

declare module "preact" {
  namespace JSX {
    interface IntrinsicElements extends CustomElements {}
  }
  export interface CSSProperties extends CustomCssProperties {}
}

declare module "@builder.io/qwik" {
  namespace JSX {
    interface IntrinsicElements extends CustomElements {}
  }
  export interface CSSProperties extends CustomCssProperties {}
}

declare module "@stencil/core" {
  namespace JSX {
    interface IntrinsicElements extends CustomElements {}
  }
  export interface CSSProperties extends CustomCssProperties {}
}

declare module "hono/jsx" {
  namespace JSX {
    interface IntrinsicElements extends CustomElements {}
  }
  export interface CSSProperties extends CustomCssProperties {}
}

declare module "react-native" {
  namespace JSX {
    interface IntrinsicElements extends CustomElements {}
  }
  export interface CSSProperties extends CustomCssProperties {}
}

declare module "solid-js" {
  namespace JSX {
    interface IntrinsicElements extends CustomElementsSolidJs {}
  }
  export interface CSSProperties extends CustomCssProperties {}
}

declare global {
  namespace JSX {
    interface IntrinsicElements extends CustomElements {}
  }
  export interface CSSProperties extends CustomCssProperties {}
}
