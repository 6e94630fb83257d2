/**
 * How <spike-chat> draws one message: who and when, the text (a reply as sanitized markdown once the renderer has
 * loaded), its state (streaming, failed, cancelled) and what it did to the files, with Cancel and Undo.
 */
import { html, nothing } from "lit";
import { unsafeHTML } from "lit/directives/unsafe-html.js";
import type { ChatMessage } from "../../core/chat.js";
import type { AppliedEdit } from "../../core/edits.js";

/** elements/internal/chat-markdown.ts, once loaded. */
export type Markdown = typeof import("./chat-markdown.js");

/** What a message needs from the chat around it. */
export interface MessageView {
  /** The markdown renderer, or null until it has loaded (replies show as plain text until then). */
  markdown: Markdown | null;
  /** Rendered HTML per message id, reused while its text is unchanged. */
  rendered: Map<string, { text: string; html: string }>;
  /** What undoing this message's edits on this page said, if it was undone here. */
  undone: string | undefined;
  cancel(): void;
  undo(): void;
}

/**
 * One message. Any editor of the room can write into the chat, so core/chat.ts checks every field; should a message
 * still fail to render, it alone says so and the rest of the chat renders.
 * @example repeat(messages, (m) => m.id, (m) => renderMessage(m, view))
 */
export function renderMessage(m: ChatMessage, view: MessageView) {
  try {
    return renderContent(m, view);
  } catch {
    return html`<article part="message" class="message" data-id=${m.id}><div class="note">This message could not be shown.</div></article>`;
  }
}

function renderContent(m: ChatMessage, view: MessageView) {
  if (m.role === "agent") return renderAgent(m, view);
  return html`<article part="message message-${m.role}" class="message ${m.role}" data-id=${m.id} data-status=${m.status}>
    <div class="meta">
      <span class="who">${m.role === "assistant" ? m.model || "assistant" : m.author}</span>
      ${timeOf(m.time)}
    </div>
    ${m.role === "user" ? html`<div class="body plain">${m.text}</div>` : renderReply(m, view)}
    ${m.status === "streaming"
      ? html`<div class="actions"><span class="dots" aria-label="Answering">Answering</span>
          <button type="button" class="cancel" @click=${view.cancel}>Cancel</button></div>`
      : nothing}
    ${m.status === "error" ? html`<div class="error" role="alert">${m.error || "The reply failed."}</div>` : nothing}
    ${m.status === "cancelled" ? html`<div class="note">Cancelled.</div>` : nothing}
    ${m.edits ? renderEdits(m.edits, view) : nothing}
  </article>`;
}

/**
 * An AI agent's change over MCP: "Claude (MCP) changed index.tsx", with Undo while the change is still applied (the
 * server keeps only the edits still applied, so an empty list means it was undone, here or on another page).
 */
function renderAgent(m: ChatMessage, view: MessageView) {
  const edits = m.edits ?? [];
  const live = edits.some((e) => e.before !== e.after || e.created || e.deleted);
  return html`<article part="message message-agent" class="message agent" data-id=${m.id} data-status=${m.status}>
    <div class="meta"><span class="tag">AI agent</span>${timeOf(m.time)}</div>
    <div class="body plain"><span class="who">${m.author || "AI agent"}</span> ${m.text}</div>
    ${live || view.undone || edits.length === 0
      ? html`<div class="actions">
          ${live ? html`<button type="button" class="undo" @click=${view.undo}>Undo</button>` : nothing}
          ${view.undone || edits.length === 0 ? html`<span class="undone">${view.undone ?? "Change undone."}</span>` : nothing}
        </div>`
      : nothing}
  </article>`;
}

/**
 * What the reply did to the files. The server keeps only the edits still applied, so an empty list on a message that
 * had edits means they were undone (here or on another page).
 */
function renderEdits(edits: AppliedEdit[], view: MessageView) {
  const changed = edits.filter((e) => e.before !== e.after);
  const failed = edits.flatMap((e) => (e.failed ?? []).map((reason) => `${e.file}: ${reason}`));
  return html`<div class="actions">
      ${changed.length > 0
        ? html`<span>Edited ${changed.map((e, i) => html`${i ? ", " : ""}<span class="file">${e.file}</span>`)}</span>
            <button type="button" class="undo" @click=${view.undo}>Undo</button>`
        : nothing}
      ${view.undone || edits.length === 0 ? html`<span class="undone">${view.undone ?? "Edits undone."}</span>` : nothing}
    </div>
    ${failed.length > 0 ? html`<div class="error">Not applied: ${failed.join("; ")}</div>` : nothing}`;
}

/** A reply as sanitized markdown once the renderer has loaded; plain text until then. */
function renderReply(m: ChatMessage, { markdown, rendered }: MessageView) {
  if (!markdown) return html`<div class="body plain">${m.text}</div>`;
  let cached = rendered.get(m.id);
  if (!cached || cached.text !== m.text) {
    cached = { text: m.text, html: markdown.renderMarkdown(m.text) };
    rendered.set(m.id, cached);
  }
  return html`<div class="body">${unsafeHTML(cached.html)}</div>`;
}

/** The time a message was written, or nothing when it is unknown (0) or no date. */
function timeOf(time: number) {
  const date = new Date(time);
  if (time === 0 || Number.isNaN(date.getTime())) return nothing;
  return html`<time datetime=${date.toISOString()}>${date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}</time>`;
}
