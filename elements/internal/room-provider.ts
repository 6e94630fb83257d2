/**
 * The provider side of the room context (elements/internal/room-element.ts), shared by the elements that hand a room to
 * what they contain: <spike-room> (its light DOM) and <spike-playground> (its shadow root and light DOM).
 */
import { ContextProvider } from "@lit/context";
import { roomContext, type RoomElement, type RoomSettings } from "./room-element.js";

/**
 * Add to a RoomElement that provides a room: `#provider = new RoomProvider(this)`, then `provide(roomSettingsOf(this))`
 * in connectedCallback (the elements inside connect right after it and ask at once) and in willUpdate.
 * @example this.#provider.provide({ ...roomSettingsOf(this), project: "mine" });
 */
export class RoomProvider {
  #provider: ContextProvider<typeof roomContext>;

  constructor(host: RoomElement) {
    this.#provider = new ContextProvider(host, { context: roomContext, initialValue: undefined });
  }

  /** Hand `settings` to the elements inside; unchanged settings wake nobody. */
  provide(settings: RoomSettings): void {
    if (!sameSettings(this.#provider.value, settings)) this.#provider.setValue(settings);
  }
}

/**
 * What `host` uses (its own settings, else its ancestor's), as the room context hands them on.
 * @example new RoomProvider(this).provide(roomSettingsOf(this));
 */
export function roomSettingsOf(host: RoomElement): RoomSettings {
  return {
    room: host.room,
    project: host.project,
    server: host.server,
    theme: host.theme,
    persist: host.persist,
    fork: host.fork,
    version: host.version,
    key: host.key,
    signIn: { getToken: host.getToken, clerk: host.clerk, clerkPublishableKey: host.clerkPublishableKey, clerkJsUrl: host.clerkJsUrl },
  };
}

function sameSettings(a: RoomSettings | undefined, b: RoomSettings): boolean {
  if (!a) return false;
  const same = <T extends object>(x: T, y: T) => (Object.keys(y) as (keyof T)[]).every((key) => x[key] === y[key]);
  return same({ ...a, signIn: null }, { ...b, signIn: null }) && same(a.signIn, b.signIn);
}
