/**
 * <spike-room>: one room for every spike element inside it. It provides its settings (room, server, project, theme and
 * sign-in) through @lit/context; each element without its own takes them (elements/internal/room-element.ts), and the
 * elements on one server and room share one RoomClient, so one WebSocket (core/room-registry.ts).
 */
import { css, html } from "lit";
import { RoomElement } from "./internal/room-element.js";
import { RoomProvider, roomSettingsOf } from "./internal/room-provider.js";

/**
 * Hands one room to every spike element inside it, however deep (also inside other components' shadow roots), so they
 * need no attributes of their own: `<spike-room room="demo"><spike-editor></spike-editor></spike-room>`.
 * An element's own `room` or `project` wins (then it takes neither from here); its own `server`, `theme` and sign-in
 * properties win one by one (sign-in as one set). When a setting changes here, every element that uses it follows: a new
 * room is opened and the old one let go. A `<spike-room>` inside another takes what it does not set from the outer one.
 * Elements added, moved in or out, or upgraded before this element was defined, find (or leave) it by themselves.
 * It draws nothing of its own (`display: contents`): its children lay out as if it were not there.
 *
 * @summary One room for the elements inside it: `<spike-room room="demo" theme="dark">…</spike-room>`.
 *
 * @slot - The page content: spike elements, and anything around them.
 */
export class SpikeRoom extends RoomElement {
  static override styles = css`
    :host {
      display: contents;
    }
    :host([hidden]) {
      display: none;
    }
  `;

  #provider = new RoomProvider(this);

  override connectedCallback(): void {
    super.connectedCallback();
    // Now, not at the next update: the elements inside connect right after us and ask at once.
    this.#provide();
  }

  protected override render() {
    return html`<slot></slot>`;
  }

  protected override willUpdate(): void {
    this.#provide();
  }

  #provide(): void {
    this.#provider.provide(roomSettingsOf(this));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "spike-room": SpikeRoom;
  }
}
