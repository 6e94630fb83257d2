import type {
  DefineComponent,
} from "vue";
import type {
  SpikeChat,
  SpikeMessageDetail,
  SpikeAuthRequiredDetail,
  SpikeRoomCreatedDetail,
  SpikeConsole,
  SpikeNavigateDetail,
  SpikeEditor,
  SpikeChangeDetail,
  SpikeStatusDetail,
  SpikeForkDetail,
  SpikeForkErrorDetail,
  SpikePlayground,
  SpikePreview,
  SpikeRenderDetail,
  SpikeErrorDetail,
  SpikeConsoleDetail,
  SpikeRoom,
  SpikeTabs,
  SpikeFileSelectDetail,
  SpikeVersions,
  SpikeSaveDetail,
  SpikeRestoreDetail,
  SpikeCopyDetail,
} from "spike";

type SpikeChatProps = {
  /** The model to ask, e.g. `gpt-4o-mini`, `gpt-4.1`, `claude-sonnet-4-5`, `claude-haiku-4-5`. */
  model?: SpikeChat["model"];
  /** The name shown on this user's messages. Defaults to the user's name in the room (as on their cursor). */
  author?: SpikeChat["author"];
  /** When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text. */
  loading?: SpikeChat["loading"];
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  room?: SpikeChat["room"];
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  project?: SpikeChat["project"];
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  server?: SpikeChat["server"];
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  theme?: SpikeChat["theme"];
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  persist?: SpikeChat["persist"];
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  fork?: SpikeChat["fork"];
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  version?: SpikeChat["version"];
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  key?: SpikeChat["key"];
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "clerk-publishable-key"?: SpikeChat["clerkPublishableKey"];
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "clerk-js-url"?: SpikeChat["clerkJsUrl"];
  /** The chat's messages, oldest first (a snapshot; empty until the chat loads). */
  messages?: SpikeChat["messages"];
  /** What the room lets this user do: `owner`, `editor`, `viewer` (may read the chat, not ask), or null when it has not said. */
  roomRole?: SpikeChat["roomRole"];
  /** True once the live part has loaded (the element is no longer lite). */
  isLive?: SpikeChat["isLive"];
  /** The template room: the room as given, before `fork="auto"` put the reader's fork in its place. */
  templateRoom?: SpikeChat["templateRoom"];
  /** True while `fork="auto"` shows the reader's fork of the template instead of the template. */
  forked?: SpikeChat["forked"];
  /** The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). */
  roomKey?: SpikeChat["roomKey"];
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  getToken?: SpikeChat["getToken"];
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  clerk?: SpikeChat["clerk"];
  /** A message appeared in the chat (sent here, by another user, the assistant's reply starting, or an AI agent's change: role `agent`). Detail: `{ id, role }`. */
  "onspike-message"?: (e: CustomEvent<SpikeMessageDetail>) => void;
  /** The room refused the connection. Detail: `{ room, code, reason }` (4401 sign-in needed, 4403 no access). */
  "onspike-auth-required"?: (e: CustomEvent<SpikeAuthRequiredDetail>) => void;
  /** This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`). Until it loads (see `loading`) it shows an empty log in the same box, with an "Open chat" button in `click` mode. */
  "onspike-room-created"?: (e: CustomEvent<SpikeRoomCreatedDetail>) => void;
};

type SpikeConsoleProps = {
  /** The id of the `<spike-preview>` to show (in the same document or shadow root). Without it: every preview of the same room or project there. */
  for?: SpikeConsole["for"];
  /** The id of the `<spike-editor>` a file:line link reveals in. Without it: the first editor of the same room or project showing that file, else the first one. */
  editor?: SpikeConsole["editor"];
  /** How many lines to keep; the oldest go first, and a note says how many went. */
  "max-lines"?: SpikeConsole["maxLines"];
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  room?: SpikeConsole["room"];
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  project?: SpikeConsole["project"];
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  server?: SpikeConsole["server"];
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  theme?: SpikeConsole["theme"];
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  persist?: SpikeConsole["persist"];
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  fork?: SpikeConsole["fork"];
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  version?: SpikeConsole["version"];
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  key?: SpikeConsole["key"];
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "clerk-publishable-key"?: SpikeConsole["clerkPublishableKey"];
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "clerk-js-url"?: SpikeConsole["clerkJsUrl"];
  /** The kept lines, oldest first: `{ level, kind, text, values, location, stack, count }` each (a snapshot). */
  lines?: SpikeConsole["lines"];
  /** How many older lines were dropped to stay within `max-lines` since the last clear. */
  dropped?: SpikeConsole["dropped"];
  /** The template room: the room as given, before `fork="auto"` put the reader's fork in its place. */
  templateRoom?: SpikeConsole["templateRoom"];
  /** True while `fork="auto"` shows the reader's fork of the template instead of the template. */
  forked?: SpikeConsole["forked"];
  /** The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). */
  roomKey?: SpikeConsole["roomKey"];
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  getToken?: SpikeConsole["getToken"];
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  clerk?: SpikeConsole["clerk"];
  /** A file:line link was clicked. Detail: `{ file, line, column }` (1-based). Cancelable: unless a listener calls preventDefault(), the console calls `reveal()` on the editor beside it. */
  "onspike-navigate"?: (e: CustomEvent<SpikeNavigateDetail>) => void;
};

type SpikeEditorProps = {
  /** The project file to edit. */
  file?: SpikeEditor["file"];
  /** Show the file without allowing edits. */
  readonly?: SpikeEditor["readonly"];
  /** When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text. */
  loading?: SpikeEditor["loading"];
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  room?: SpikeEditor["room"];
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  project?: SpikeEditor["project"];
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  server?: SpikeEditor["server"];
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  theme?: SpikeEditor["theme"];
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  persist?: SpikeEditor["persist"];
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  fork?: SpikeEditor["fork"];
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  version?: SpikeEditor["version"];
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  key?: SpikeEditor["key"];
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "clerk-publishable-key"?: SpikeEditor["clerkPublishableKey"];
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "clerk-js-url"?: SpikeEditor["clerkJsUrl"];
  /** Connection state: `connecting`, `connected`, `offline`, or `local` for a room-less editor (also before it loads). */
  status?: SpikeEditor["status"];
  /** What the room lets this user do: `owner`, `editor`, `viewer` (read-only), or null when it has not said (anyone edits). */
  roomRole?: SpikeEditor["roomRole"];
  /** True once the live part has loaded (the element is no longer lite). */
  isLive?: SpikeEditor["isLive"];
  /** The template room: the room as given, before `fork="auto"` put the reader's fork in its place. */
  templateRoom?: SpikeEditor["templateRoom"];
  /** True while `fork="auto"` shows the reader's fork of the template instead of the template. */
  forked?: SpikeEditor["forked"];
  /** The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). */
  roomKey?: SpikeEditor["roomKey"];
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  getToken?: SpikeEditor["getToken"];
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  clerk?: SpikeEditor["clerk"];
  /** The file's text changed, locally or by another user. Detail: `{ file, text, remote }`. */
  "onspike-change"?: (e: CustomEvent<SpikeChangeDetail>) => void;
  /** The connection state changed, or who else is here and how they are reached. Detail: `{ status, peers }`: `connecting | connected | offline | local`, and `{ clientId, name, transport: "webrtc" | "websocket" }` per other client. */
  "onspike-status"?: (e: CustomEvent<SpikeStatusDetail>) => void;
  /** The room refused the connection. Detail: `{ room, code, reason }`: code 4401 needs sign-in (or a fresh token), 4403 means the signed-in user has no access. A new token source or a sign-in reconnects. */
  "onspike-auth-required"?: (e: CustomEvent<SpikeAuthRequiredDetail>) => void;
  /** With `fork="auto"`, the reader's typing in the read-only template moved them to their own fork. Detail: `{ room, template }`. */
  "onspike-fork"?: (e: CustomEvent<SpikeForkDetail>) => void;
  /** With `fork="auto"`, forking the template failed (say, the room-creation limit). Detail: `{ template, message }`. */
  "onspike-fork-error"?: (e: CustomEvent<SpikeForkErrorDetail>) => void;
  /** This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`). Until it loads (see `loading`) it shows the file as highlighted, selectable text in the same box (the lite view), from its inline sources, or (in `click` mode, for a room) the file's text over HTTP (no socket), else a placeholder. */
  "onspike-room-created"?: (e: CustomEvent<SpikeRoomCreatedDetail>) => void;
};

type SpikePlaygroundProps = {
  /** `split` (code beside output), `tabs` (one view at a time) or `stacked` (one column); any other value counts as `split`. */
  layout?: SpikePlayground["layout"];
  /** Below this width of the element, in CSS pixels, the layout is `stacked` whatever `layout` says; 0: never. */
  "stack-below"?: SpikePlayground["stackBelow"];
  /** The code pane's share of the `split` layout's width, in percent (20 to 80). The separator changes it. */
  split?: SpikePlayground["split"];
  /** In the `tabs` layout, the view shown: `code`, `preview`, `console`, (with `chat`) `chat` or (with `versions`)
`versions`. The view tabs change it. */
  view?: SpikePlayground["view"];
  /** The file the editor shows (and the file tabs select). Defaults to `index.tsx`, else the first inline file. */
  file?: SpikePlayground["file"];
  /** The file the preview runs. Defaults to the project's own entry, else `index.tsx`. */
  entry?: SpikePlayground["entry"];
  /** Show a chat pane (`<spike-chat>`) on the same room. */
  chat?: SpikePlayground["chat"];
  /** Show a versions pane (`<spike-versions>`) on the same room: save, restore, fork and embed saved versions. */
  versions?: SpikePlayground["versions"];
  /** Show the files without allowing edits (the editor's and the file tabs' `readonly`). */
  readonly?: SpikePlayground["readonly"];
  /** When the editor, preview and chat load their live parts (their `loading`): `lazy` (default), `eager` or `click`. */
  loading?: SpikePlayground["loading"];
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  room?: SpikePlayground["room"];
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  project?: SpikePlayground["project"];
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  server?: SpikePlayground["server"];
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  theme?: SpikePlayground["theme"];
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  persist?: SpikePlayground["persist"];
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  fork?: SpikePlayground["fork"];
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  version?: SpikePlayground["version"];
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  key?: SpikePlayground["key"];
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "clerk-publishable-key"?: SpikePlayground["clerkPublishableKey"];
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "clerk-js-url"?: SpikePlayground["clerkJsUrl"];
  /** The layout shown now: `layout`, or `stacked` while the element is narrower than `stack-below`. */
  currentLayout?: SpikePlayground["currentLayout"];
  /** The template room: the room as given, before `fork="auto"` put the reader's fork in its place. */
  templateRoom?: SpikePlayground["templateRoom"];
  /** True while `fork="auto"` shows the reader's fork of the template instead of the template. */
  forked?: SpikePlayground["forked"];
  /** The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). */
  roomKey?: SpikePlayground["roomKey"];
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  getToken?: SpikePlayground["getToken"];
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  clerk?: SpikePlayground["clerk"];
};

type SpikePreviewProps = {
  /** The file to run. Defaults to the project's own entry, else `index.tsx`. */
  entry?: SpikePreview["entry"];
  /** When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text. */
  loading?: SpikePreview["loading"];
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  room?: SpikePreview["room"];
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  project?: SpikePreview["project"];
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  server?: SpikePreview["server"];
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  theme?: SpikePreview["theme"];
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  persist?: SpikePreview["persist"];
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  fork?: SpikePreview["fork"];
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  version?: SpikePreview["version"];
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  key?: SpikePreview["key"];
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "clerk-publishable-key"?: SpikePreview["clerkPublishableKey"];
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "clerk-js-url"?: SpikePreview["clerkJsUrl"];
  /** The entry file the preview runs now (before it loads: `entry`, else `index.tsx`). */
  currentEntry?: SpikePreview["currentEntry"];
  /** True once the live part has loaded (the element is no longer lite). */
  isLive?: SpikePreview["isLive"];
  /** The template room: the room as given, before `fork="auto"` put the reader's fork in its place. */
  templateRoom?: SpikePreview["templateRoom"];
  /** True while `fork="auto"` shows the reader's fork of the template instead of the template. */
  forked?: SpikePreview["forked"];
  /** The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). */
  roomKey?: SpikePreview["roomKey"];
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  getToken?: SpikePreview["getToken"];
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  clerk?: SpikePreview["clerk"];
  /** The preview shows the current code. Detail: `{ entry, mode }`, mode `react` or `module`. */
  "onspike-render"?: (e: CustomEvent<SpikeRenderDetail>) => void;
  /** A build error (syntax, with file:line) or a runtime error in the preview. Detail: `{ kind, message, file, line, column }`. */
  "onspike-error"?: (e: CustomEvent<SpikeErrorDetail>) => void;
  /** The previewed code wrote to the console. Detail: `{ level, args }`, args formatted as text. At most 300 at once and 100 a second; past that, messages are dropped and one `warn` entry a second says how many. */
  "onspike-console"?: (e: CustomEvent<SpikeConsoleDetail>) => void;
  /** The room refused the connection. Detail: `{ room, code, reason }` (4401 sign-in needed, 4403 no access). */
  "onspike-auth-required"?: (e: CustomEvent<SpikeAuthRequiredDetail>) => void;
  /** This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`). Until it loads (see `loading`) it shows a poster with a "Run" button in the same box. */
  "onspike-room-created"?: (e: CustomEvent<SpikeRoomCreatedDetail>) => void;
};

type SpikeRoomProps = {
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  room?: SpikeRoom["room"];
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  project?: SpikeRoom["project"];
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  server?: SpikeRoom["server"];
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  theme?: SpikeRoom["theme"];
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  persist?: SpikeRoom["persist"];
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  fork?: SpikeRoom["fork"];
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  version?: SpikeRoom["version"];
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  key?: SpikeRoom["key"];
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "clerk-publishable-key"?: SpikeRoom["clerkPublishableKey"];
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "clerk-js-url"?: SpikeRoom["clerkJsUrl"];
  /** The template room: the room as given, before `fork="auto"` put the reader's fork in its place. */
  templateRoom?: SpikeRoom["templateRoom"];
  /** True while `fork="auto"` shows the reader's fork of the template instead of the template. */
  forked?: SpikeRoom["forked"];
  /** The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). */
  roomKey?: SpikeRoom["roomKey"];
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  getToken?: SpikeRoom["getToken"];
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  clerk?: SpikeRoom["clerk"];
};

type SpikeTabsProps = {
  /** The selected file. Unset, it is the editor's file (else the entry); picking a tab or a rename or delete sets it. */
  file?: SpikeTabs["file"];
  /** List the files without the Add, Rename and Delete buttons (and without F2 and Delete). */
  readonly?: SpikeTabs["readonly"];
  /** The id of the `<spike-editor>` to drive (in the same document or shadow root); unset: the first of the same room. */
  editor?: SpikeTabs["editor"];
  /** When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text. */
  loading?: SpikeTabs["loading"];
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  room?: SpikeTabs["room"];
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  project?: SpikeTabs["project"];
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  server?: SpikeTabs["server"];
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  theme?: SpikeTabs["theme"];
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  persist?: SpikeTabs["persist"];
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  fork?: SpikeTabs["fork"];
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  version?: SpikeTabs["version"];
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  key?: SpikeTabs["key"];
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "clerk-publishable-key"?: SpikeTabs["clerkPublishableKey"];
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "clerk-js-url"?: SpikeTabs["clerkJsUrl"];
  /** The files with a tab, sorted by name (hidden files left out; empty until the tabs load). */
  files?: SpikeTabs["files"];
  /** True once the live part has loaded (the element is no longer lite). */
  isLive?: SpikeTabs["isLive"];
  /** The template room: the room as given, before `fork="auto"` put the reader's fork in its place. */
  templateRoom?: SpikeTabs["templateRoom"];
  /** True while `fork="auto"` shows the reader's fork of the template instead of the template. */
  forked?: SpikeTabs["forked"];
  /** The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). */
  roomKey?: SpikeTabs["roomKey"];
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  getToken?: SpikeTabs["getToken"];
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  clerk?: SpikeTabs["clerk"];
  /** The user picked a tab. Detail: `{ file }`. Cancelable: unless a listener calls `preventDefault()`, the tabs switch their editor to the file. */
  "onspike-file-select"?: (e: CustomEvent<SpikeFileSelectDetail>) => void;
};

type SpikeVersionsProps = {
  /** The element an embed snippet uses: `spike-playground` (default), `spike-editor`, `spike-preview` or any room element. */
  embed?: SpikeVersions["embed"];
  /** When the live part loads: `lazy` (the default) when the element comes near the viewport, `click` when the reader
clicks it (or presses Enter or Space on its button), `eager` at once. Until then it shows its code as highlighted text. */
  loading?: SpikeVersions["loading"];
  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without one (and without a `project`), an element inside `<spike-room>` joins
that room; an element in no room edits or shows a local project seeded from its inline files. */
  room?: SpikeVersions["room"];
  /** Without a room: the name of a local project shared with the other elements on this page that name it. */
  project?: SpikeVersions["project"];
  /** Base URL of the spike server. Defaults to the `<spike-room>`'s, else the origin this script was loaded from. */
  server?: SpikeVersions["server"];
  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme` (any other value counts as `auto`).
Defaults to the `<spike-room>`'s, else `auto`. */
  theme?: SpikeVersions["theme"];
  /** Keep the room in this browser's IndexedDB, so a page opened offline shows it as it was last synced ("Offline, changes
will sync") and edits made offline merge once the network returns. Set on `<spike-room>` or `<spike-playground>`, it
holds for the elements inside; an element may also set it itself. Only for rooms (a local project is never stored).
The room's files stay on this device until the site's storage is cleared: leave it off for private rooms on shared
computers. */
  persist?: SpikeVersions["persist"];
  /** `auto`: make a read-only room a template. A reader's first keystroke in it forks it (`POST /live/<room>/fork`) into a
room of their own, which the element (and every element of that room on the page) switches to, keeping the caret and
the keystroke; `localStorage` remembers the fork for this reader on this server, so a reload reopens it. `room` then
reads the fork's id; the method `resetFork()` goes back to the template. Set on `<spike-room>` or
`<spike-playground>`, it holds for the elements inside. */
  fork?: SpikeVersions["fork"];
  /** A saved version of the room (its number, from `POST /live/<room>/versions` or `<spike-versions>`): the element shows
that version's files read-only, loaded once from the server's pinned routes (`/live/<room>/v/<n>/…`), and never
changes when the room does; a preview runs that version's code. Taken from the `<spike-room>` (or playground) only
with its room. Anything but a whole number from 1 shows an error instead. */
  version?: SpikeVersions["version"];
  /** The room's end-to-end key: base64url of 256 bits (`generateRoomKey()`), or `fragment` to read it from the page URL's
`#spike-key=<key>` (which browsers never send to a server). With a key every edit, cursor and chat message is
encrypted in the browser before it leaves; an empty room becomes encrypted for good. Taken from the `<spike-room>`
with its room. Not reflected to the attribute. */
  key?: SpikeVersions["key"];
  /** Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
server); for a different key given here, sign-in is unavailable and a console warning says why. */
  "clerk-publishable-key"?: SpikeVersions["clerkPublishableKey"];
  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  "clerk-js-url"?: SpikeVersions["clerkJsUrl"];
  /** The room's versions, newest first, as last listed (empty until the element has loaded). */
  versions?: SpikeVersions["versions"];
  /** What the room lets this user do: `owner`, `editor`, `viewer` (lists, forks, copies), or null when it has not said. */
  roomRole?: SpikeVersions["roomRole"];
  /** True once the live part has loaded (the element is no longer lite). */
  isLive?: SpikeVersions["isLive"];
  /** The template room: the room as given, before `fork="auto"` put the reader's fork in its place. */
  templateRoom?: SpikeVersions["templateRoom"];
  /** True while `fork="auto"` shows the reader's fork of the template instead of the template. */
  forked?: SpikeVersions["forked"];
  /** The key in use: `key` itself, or for `key="fragment"` the page URL's `#spike-key=` (undefined when it has none). */
  roomKey?: SpikeVersions["roomKey"];
  /** Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
An element that sets none of the four sign-in properties uses its `<spike-room>`'s four. */
  getToken?: SpikeVersions["getToken"];
  /** A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key. */
  clerk?: SpikeVersions["clerk"];
  /** A version was saved here. Detail: `{ room, version: { n, name, createdAt } }`. */
  "onspike-save"?: (e: CustomEvent<SpikeSaveDetail>) => void;
  /** A version was restored into the live room. Detail: `{ room, version }`. */
  "onspike-restore"?: (e: CustomEvent<SpikeRestoreDetail>) => void;
  /** A new room was made from a version. Detail: `{ room, forkedFrom: { room, version } }`: `room` is the new one. */
  "onspike-fork"?: (e: CustomEvent<SpikeForkDetail>) => void;
  /** An embed snippet was copied. Detail: `{ room, version, snippet, copied }`: `copied` is false when the clipboard refused and the snippet is shown selected instead. */
  "onspike-copy"?: (e: CustomEvent<SpikeCopyDetail>) => void;
};

export type CustomElements = {
  /**
   * AI chat for a room: `<spike-chat room="demo">` next to `<spike-editor room="demo">`.
   * ---
   *
   *
   * ### **Events:**
   *  - **spike-message** - A message appeared in the chat (sent here, by another user, the assistant's reply starting, or an AI agent's change: role `agent`). Detail: `{ id, role }`.
   * - **spike-auth-required** - The room refused the connection. Detail: `{ room, code, reason }` (4401 sign-in needed, 4403 no access).
   * - **spike-room-created** - This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`). Until it loads (see `loading`) it shows an empty log in the same box, with an "Open chat" button in `click` mode.
   *
   * ### **Methods:**
   *  - **send(text: _string_): _Promise<void>_** - Send the textarea's text (or `text`) to the model, loading the chat first if it has not loaded. Resolves once the
   * server accepted it; the reply streams in later.
   *
   * - **load(): _Promise<void>_** - Load the live part now, whatever `loading` says; resolves once it is in place (or rejects if its chunk failed to load).
   * - **resetFork(): _void_** - "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ### **CSS Properties:**
   *  - **--spike-chat-height** - Height of the element. Default `420px`. _(default: undefined)_
   * - **--spike-chat-background** - Background of the chat. Default a theme white/black. _(default: undefined)_
   * - **--spike-chat-user-background** - Background of user messages. Default a theme light blue. _(default: undefined)_
   * - **--spike-accent** - Colour of the Send button (its text is white). Default `#0969da`, dark `#1f6feb`. _(default: undefined)_
   * - **--spike-border** - Border of the frame. Default `1px solid` a theme grey. _(default: undefined)_
   * - **--spike-radius** - Corner radius of the frame. Default `8px`. _(default: undefined)_
   * - **--spike-font-family** - Font of code in replies. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`. _(default: undefined)_
   * - **--spike-ui-font-family** - Font of the chat. Default `system-ui, sans-serif`. _(default: undefined)_
   *
   * ### **CSS Parts:**
   *  - **base** - The frame around the chat.
   * - **activate** - The lite view's "Open chat" button (`loading="click"`).
   * - **messages** - The scrolling message log.
   * - **message** - One message (also `message-user`, `message-assistant`, or `message-agent` for an AI agent's change over MCP).
   * - **composer** - The textarea and Send button.
   * - **input** - The textarea.
   * - **send** - The Send button.
   * - **mic** - The microphone button: records a question, transcribed by `POST /api/transcribe` into the textarea.
   * - **image** - An `/image <prompt>` entry: the picture generated on the server (Replicate) and stored as a room asset, shown to this page.
   * - **image-progress** - "Generating the image…" while an `/image` request runs.
   * - **image-result** - The generated picture (an `<img>` of the room asset).
   * - **image-error** - Why an `/image` request failed.
   * - **status** - The status bar: who is typing, the last error, the connection (a polite live region).
   * - **badge** - The "Read-only" badge, shown when the room lets this user watch but not ask.
   * - **sign-in** - The "Sign in" button, shown when Clerk is in use and nobody is signed in.
   * - **sign-in-error** - "Sign-in unavailable", shown instead when the element cannot use Clerk (say, the page's own `window.Clerk` has another publishable key); its `title` says why.
   */
  "spike-chat": DefineComponent<SpikeChatProps>;

  /**
   * Console of the previews beside it: `<spike-console>` next to `<spike-preview>` and `<spike-editor>`.
   * ---
   *
   *
   * ### **Events:**
   *  - **spike-navigate** - A file:line link was clicked. Detail: `{ file, line, column }` (1-based). Cancelable: unless a listener calls preventDefault(), the console calls `reveal()` on the editor beside it.
   *
   * ### **Methods:**
   *  - **clear(): _void_** - Remove every line.
   * - **resetFork(): _void_** - "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ### **CSS Properties:**
   *  - **--spike-console-height** - Height of the element. Default `220px`. _(default: undefined)_
   * - **--spike-console-background** - Background of the lines. Default a theme white/black. _(default: undefined)_
   * - **--spike-border** - Border of the frame. Default `1px solid` a theme grey. _(default: undefined)_
   * - **--spike-radius** - Corner radius of the frame. Default `8px`. _(default: undefined)_
   * - **--spike-font-family** - Font of the lines. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`. _(default: undefined)_
   * - **--spike-ui-font-family** - Font of the toolbar. Default `system-ui, sans-serif`. _(default: undefined)_
   *
   * ### **CSS Parts:**
   *  - **base** - The frame around the toolbar and the lines.
   * - **toolbar** - The level filters and the Clear button.
   * - **filter** - One level's filter button (`aria-pressed` says whether its lines show); also `filter-<level>`.
   * - **clear** - The Clear button.
   * - **lines** - The scrolling list of lines.
   * - **line** - One line; also `line-<level>` (`line-error`, `line-warn`, `line-info`, `line-log`, `line-debug`).
   * - **tree** - An object argument: a `<details>` whose entries show when opened.
   * - **link** - A file:line button that shows the place in the editor.
   * - **dropped** - The note that older lines were dropped to stay within `max-lines`.
   * - **empty** - What the list says before anything was logged.
   */
  "spike-console": DefineComponent<SpikeConsoleProps>;

  /**
   * Embeddable collaborative code editor: `<spike-editor room="demo" file="index.tsx">`.
   * ---
   *
   *
   * ### **Events:**
   *  - **spike-change** - The file's text changed, locally or by another user. Detail: `{ file, text, remote }`.
   * - **spike-status** - The connection state changed, or who else is here and how they are reached. Detail: `{ status, peers }`: `connecting | connected | offline | local`, and `{ clientId, name, transport: "webrtc" | "websocket" }` per other client.
   * - **spike-auth-required** - The room refused the connection. Detail: `{ room, code, reason }`: code 4401 needs sign-in (or a fresh token), 4403 means the signed-in user has no access. A new token source or a sign-in reconnects.
   * - **spike-fork** - With `fork="auto"`, the reader's typing in the read-only template moved them to their own fork. Detail: `{ room, template }`.
   * - **spike-fork-error** - With `fork="auto"`, forking the template failed (say, the room-creation limit). Detail: `{ template, message }`.
   * - **spike-room-created** - This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`). Until it loads (see `loading`) it shows the file as highlighted, selectable text in the same box (the lite view), from its inline sources, or (in `click` mode, for a room) the file's text over HTTP (no socket), else a placeholder.
   *
   * ### **Methods:**
   *  - **reveal(file: _string_, line: _number_, column): _Promise<void>_** - Show `file` with the caret at `line` and `column` (1-based; clamped to the file), scrolled into view, and focus the
   * editor. Loads the editor first if it has not loaded. `<spike-console>` calls it for a clicked file:line link.
   *
   * - **load(): _Promise<void>_** - Load the live part now, whatever `loading` says; resolves once it is in place (or rejects if its chunk failed to load).
   * - **resetFork(): _void_** - "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ### **CSS Properties:**
   *  - **--spike-editor-height** - Height of the element. Default `320px`. _(default: undefined)_
   * - **--spike-border** - Border of the frame. Default `1px solid` a theme grey. _(default: undefined)_
   * - **--spike-radius** - Corner radius of the frame. Default `8px`. _(default: undefined)_
   * - **--spike-font-family** - Code font. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`. _(default: undefined)_
   * - **--spike-font-size** - Code font size in px. Default `14px`. _(default: undefined)_
   * - **--spike-ui-font-family** - Font of the status bar. Default `system-ui, sans-serif`. _(default: undefined)_
   *
   * ### **CSS Parts:**
   *  - **base** - The frame around editor and status bar (also around the lite view).
   * - **code** - The lite view's highlighted code (a `<pre>`), shown until the editor loads.
   * - **activate** - The lite view's "Click to edit" button (`loading="click"`).
   * - **editor** - The region Monaco renders into (role "region", labelled with the file name).
   * - **loading** - The loading state shown until Monaco and the room are ready (or the error if loading failed).
   * - **hint** - The keyboard hint ("Press Esc then Tab to leave the editor…"), shown when the editor gets the focus from the keyboard; it also describes the editing surface to screen readers.
   * - **status** - The status bar: file name, people in the room, connection state (a polite live region).
   * - **keys** - What Tab does now (`Esc, Tab: leave` or `Tab moves focus`), in the status bar while the editor has the focus.
   * - **drop-status** - What the last drop of image or font files did ("Uploading logo.png…", "Uploaded logo.png", or why not), in the status bar. Dropping images or fonts on a room's editor uploads them as room assets and inserts their imports.
   * - **badge** - The "Read-only" badge, shown when the room lets this user watch but not edit (with `fork="auto"`: "Template: type to edit your copy"; "Version <n>" for a saved version, `version`).
   * - **reset-fork** - The "Reset to original" button, shown while `fork="auto"` shows the reader's fork: back to the template.
   * - **sign-in** - The "Sign in" button, shown when Clerk is in use and nobody is signed in.
   * - **sign-in-error** - "Sign-in unavailable", shown instead when the element cannot use Clerk (say, the page's own `window.Clerk` has another publishable key); its `title` says why.
   */
  "spike-editor": DefineComponent<SpikeEditorProps>;

  /**
   * Editor, file tabs, preview and console in one: `<spike-playground room="demo" layout="split">`.
   * ---
   *
   *
   * ### **Methods:**
   *  - **resetFork(): _void_** - "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ### **Slots:**
   *  - _default_ - Inline files (`<script type="text/plain" data-file="index.tsx">`), which seed the project (a room that is still empty, or the playground's own local project), and anything else, shown after the panes and in the same room.
   *
   * ### **CSS Properties:**
   *  - **--spike-playground-height** - Height of the `split` and `tabs` layouts. Default `480px`. _(default: undefined)_
   * - **--spike-playground-console-height** - Height of the console: a share of the output pane in `split` (default `35%`), a length when stacked (default `180px`). _(default: undefined)_
   * - **--spike-playground-chat-width** - Width of the chat in `split`. Default `30%`. _(default: undefined)_
   * - **--spike-playground-versions-width** - Width of the versions pane in `split`. Default `30%`. _(default: undefined)_
   * - **--spike-editor-height** - Height of the editor when stacked. Default `300px`. _(default: undefined)_
   * - **--spike-preview-height** - Height of the preview when stacked. Default `300px`. _(default: undefined)_
   * - **--spike-border** - Border of the frame (the elements inside draw none). Default `1px solid` a theme grey. _(default: undefined)_
   * - **--spike-radius** - Corner radius of the frame. Default `8px`. _(default: undefined)_
   * - **--spike-ui-font-family** - Font of the view tabs. Default `system-ui, sans-serif`. _(default: undefined)_
   *
   * ### **CSS Parts:**
   *  - **base** - The frame around the playground.
   * - **views** - The tab list choosing the view (`tabs` layout only).
   * - **view** - One tab of that list.
   * - **code** - The pane with the file tabs and the editor.
   * - **output** - The pane with the preview and the console.
   * - **separator** - The separator between the code and output panes (`split` layout only; role "separator").
   * - **console** - The pane around the console.
   * - **chat** - The pane around the chat (with `chat`).
   * - **versions** - The pane around the versions (with `versions`).
   */
  "spike-playground": DefineComponent<SpikePlaygroundProps>;

  /**
   * Live preview of a project: `<spike-preview room="demo">` next to a `<spike-editor room="demo">`.
   * ---
   *
   *
   * ### **Events:**
   *  - **spike-render** - The preview shows the current code. Detail: `{ entry, mode }`, mode `react` or `module`.
   * - **spike-error** - A build error (syntax, with file:line) or a runtime error in the preview. Detail: `{ kind, message, file, line, column }`.
   * - **spike-console** - The previewed code wrote to the console. Detail: `{ level, args }`, args formatted as text. At most 300 at once and 100 a second; past that, messages are dropped and one `warn` entry a second says how many.
   * - **spike-auth-required** - The room refused the connection. Detail: `{ room, code, reason }` (4401 sign-in needed, 4403 no access).
   * - **spike-room-created** - This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`). Until it loads (see `loading`) it shows a poster with a "Run" button in the same box.
   *
   * ### **Methods:**
   *
   * - **load(): _Promise<void>_** - Load the live part now, whatever `loading` says; resolves once it is in place (or rejects if its chunk failed to load).
   * - **resetFork(): _void_** - "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ### **CSS Properties:**
   *  - **--spike-preview-height** - Height of the element. Default `320px`. _(default: undefined)_
   * - **--spike-preview-background** - Background behind the previewed app. Default `#ffffff`. _(default: undefined)_
   * - **--spike-border** - Border of the frame. Default `1px solid` a theme grey. _(default: undefined)_
   * - **--spike-radius** - Corner radius of the frame. Default `8px`. _(default: undefined)_
   * - **--spike-font-family** - Font of file names and error messages. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`. _(default: undefined)_
   * - **--spike-ui-font-family** - Font of the status bar. Default `system-ui, sans-serif`. _(default: undefined)_
   *
   * ### **CSS Parts:**
   *  - **base** - The frame around the preview and status bar (also around the poster).
   * - **activate** - The poster's "Run" button, shown until the preview loads.
   * - **frame** - The iframe the project runs in.
   * - **error** - The build error overlay (message and file:line), shown over the last good render.
   * - **status** - The status bar: entry file and state (a polite live region).
   * - **badge** - The "Version <n>" badge, shown when the preview runs a saved version (`version`).
   * - **sign-in** - The "Sign in" button, shown when Clerk is in use and nobody is signed in.
   * - **sign-in-error** - "Sign-in unavailable", shown instead when the element cannot use Clerk (say, the page's own `window.Clerk` has another publishable key); its `title` says why.
   */
  "spike-preview": DefineComponent<SpikePreviewProps>;

  /**
   * One room for the elements inside it: `<spike-room room="demo" theme="dark">…</spike-room>`.
   * ---
   *
   *
   * ### **Methods:**
   *  - **resetFork(): _void_** - "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ### **Slots:**
   *  - _default_ - The page content: spike elements, and anything around them.
   */
  "spike-room": DefineComponent<SpikeRoomProps>;

  /**
   * File tabs for a project: `<spike-tabs room="demo"></spike-tabs><spike-editor room="demo"></spike-editor>`.
   * ---
   *
   *
   * ### **Events:**
   *  - **spike-file-select** - The user picked a tab. Detail: `{ file }`. Cancelable: unless a listener calls `preventDefault()`, the tabs switch their editor to the file.
   *
   * ### **Methods:**
   *
   * - **load(): _Promise<void>_** - Load the live part now, whatever `loading` says; resolves once it is in place (or rejects if its chunk failed to load).
   * - **resetFork(): _void_** - "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ### **CSS Properties:**
   *  - **--spike-border** - Border of the frame. Default `1px solid` a theme grey. _(default: undefined)_
   * - **--spike-radius** - Corner radius of the frame. Default `8px`. _(default: undefined)_
   * - **--spike-font-family** - Font of the file names. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`. _(default: undefined)_
   * - **--spike-ui-font-family** - Font of the buttons and messages. Default `system-ui, sans-serif`. _(default: undefined)_
   * - **--spike-accent** - Colour of the selected tab's underline and the focus ring. Default a theme blue. _(default: undefined)_
   *
   * ### **CSS Parts:**
   *  - **base** - The frame around the tabs and the buttons.
   * - **tablist** - The strip of tabs (role "tablist").
   * - **tab** - One tab (also `tab-selected` on the selected one).
   * - **entry** - The "entry" mark on the entry file's tab.
   * - **readonly** - The lock on a read-only file's tab.
   * - **actions** - The Add, Rename and Delete buttons (left out with `readonly`).
   * - **form** - The name field of Add and Rename, and the confirmation of Delete, shown below the tabs.
   * - **input** - The file name field.
   * - **error** - Why a name or an operation was refused (role "alert").
   */
  "spike-tabs": DefineComponent<SpikeTabsProps>;

  /**
   * Versions of a room: `<spike-versions room="demo"></spike-versions>`.
   * ---
   *
   *
   * ### **Events:**
   *  - **spike-save** - A version was saved here. Detail: `{ room, version: { n, name, createdAt } }`.
   * - **spike-restore** - A version was restored into the live room. Detail: `{ room, version }`.
   * - **spike-fork** - A new room was made from a version. Detail: `{ room, forkedFrom: { room, version } }`: `room` is the new one.
   * - **spike-copy** - An embed snippet was copied. Detail: `{ room, version, snippet, copied }`: `copied` is false when the clipboard refused and the snippet is shown selected instead.
   *
   * ### **Methods:**
   *  - **snippetFor(n: _number_, bundle: _string_): _string_** - The embed snippet pinned to version `n`: the element bundle of this server (pinned too when `bundle` names its
   * version, `/v/<bundle>/spike.js`, else the moving `/spike.js`) and the `embed` element on the room and version.
   * The Copy embed button pins the bundle to the version the server reports (`GET /api/health`).
   * - **refresh(): _Promise<void>_** - List the versions again (loads the element first).
   * - **save(name): _Promise<VersionEntry | null>_** - Save the room as it is now as a version named `name`; resolves with it, or null when the server refused (the status
   * bar says why).
   * - **restore(n: _number_): _Promise<boolean>_** - Restore version `n` into the live room without asking (the Restore button asks first); false when refused.
   * - **undoRestore(): _Promise<boolean>_** - Undo the last restore made here (the files someone changed since stay as they are); false when there is none or refused.
   * - **forkVersion(n: _number | null_): _Promise<{ room: string; forkedFrom: { room: string; version: number | null } } | null>_** - Fork version `n` (null: the room as it is now) into a new room; resolves with it, or null when refused. (`fork` is the
   * room elements' `fork="auto"` setting.)
   *
   * - **load(): _Promise<void>_** - Load the live part now, whatever `loading` says; resolves once it is in place (or rejects if its chunk failed to load).
   * - **resetFork(): _void_** - "Reset to original": forget this reader's fork, so this element and every other element of the template show the
   * template again (the fork stays on the server; typing forks anew).
   *
   * ### **CSS Properties:**
   *  - **--spike-versions-height** - Height of the element (the list scrolls). Default `auto`. _(default: undefined)_
   * - **--spike-border** - Border of the frame. Default `1px solid` a theme grey. _(default: undefined)_
   * - **--spike-radius** - Corner radius of the frame. Default `8px`. _(default: undefined)_
   * - **--spike-ui-font-family** - Font of the element. Default `system-ui, sans-serif`. _(default: undefined)_
   * - **--spike-accent** - Colour of the focus ring. Default a theme blue. _(default: undefined)_
   *
   * ### **CSS Parts:**
   *  - **base** - The frame around the element.
   * - **save** - The save form: the name field and the Save button.
   * - **input** - The version name field.
   * - **list** - The list of versions (an `<ol>`).
   * - **version** - One version of the list.
   * - **actions** - A version's Restore, Fork and Copy embed buttons.
   * - **confirm** - The restore confirmation that replaces a version's buttons.
   * - **empty** - "Loading versions…" or "No saved versions yet."
   * - **snippet** - The embed snippet, shown selected when the clipboard refused it.
   * - **fork-link** - The link to the room just forked.
   * - **undo** - The Undo button shown after a restore made here: sets the restored files back (except those changed since).
   * - **status** - The status bar: what is happening, what happened, or why it failed (a polite live region).
   * - **badge** - The "Read-only" badge, shown when the room lets this user watch but not change it.
   * - **sign-in** - The "Sign in" button, shown when Clerk is in use and nobody is signed in.
   * - **sign-in-error** - "Sign-in unavailable", shown when the element cannot use Clerk.
   */
  "spike-versions": DefineComponent<SpikeVersionsProps>;
};

declare module "vue" {
  // eslint-disable-next-line @typescript-eslint/no-empty-interface
  interface GlobalComponents extends CustomElements {}
}

declare global {
  namespace JSX {
    // eslint-disable-next-line @typescript-eslint/no-empty-interface
    interface IntrinsicElements extends CustomElements {}
  }
}
