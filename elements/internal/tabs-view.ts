/**
 * The tab strip of <spike-tabs>, drawn the same before and after its live part loads (elements/spike-tabs.ts,
 * elements/internal/tabs-live.ts): a WAI-ARIA tablist with a roving tabindex, the entry and read-only files marked.
 */
import { html, nothing, type LitElement } from "lit";

/** One tab as the strip draws it. */
export interface TabView {
  name: string;
  entry: boolean;
  readonly: boolean;
}

/** What the tab strip does on a pick, and (when files can be changed) on F2, Delete and a double-click. */
export interface TablistHandlers {
  onPick(name: string): void;
  onRename?(name: string): void;
  onDelete?(name: string): void;
}

/**
 * The tab strip: a tablist whose selected tab is the one in the tab order (roving tabindex); arrows, Home and End move
 * between tabs and pick them (automatic activation), F2 and a double-click rename, Delete deletes (when handled).
 * @example renderTablist(this, [{ name: "index.tsx", entry: true, readonly: false }], "index.tsx", { onPick })
 */
export function renderTablist(host: LitElement, tabs: TabView[], selected: string, handlers: TablistHandlers) {
  const keydown = (event: KeyboardEvent, index: number) => {
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 };
    if (event.key in moves) {
      const next = tabs[(moves[event.key]! + tabs.length) % tabs.length]!;
      event.preventDefault();
      handlers.onPick(next.name);
      void host.updateComplete.then(() =>
        host.shadowRoot?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus(),
      );
    } else if (event.key === "F2" && handlers.onRename) {
      event.preventDefault();
      handlers.onRename(tabs[index]!.name);
    } else if (event.key === "Delete" && handlers.onDelete) {
      event.preventDefault();
      handlers.onDelete(tabs[index]!.name);
    }
  };
  return html`<div part="tablist" class="tablist" role="tablist" aria-label="Files">
    ${tabs.map(
      (tab, index) => html`<button
        type="button"
        role="tab"
        part="tab ${tab.name === selected ? "tab-selected" : ""}"
        class="tab"
        aria-selected=${tab.name === selected ? "true" : "false"}
        tabindex=${tab.name === selected || (index === 0 && !tabs.some((t) => t.name === selected)) ? 0 : -1}
        data-file=${tab.name}
        @click=${() => handlers.onPick(tab.name)}
        @dblclick=${handlers.onRename ? () => handlers.onRename!(tab.name) : nothing}
        @keydown=${(event: KeyboardEvent) => keydown(event, index)}
      >
        <span class="name">${tab.name}</span>
        ${tab.entry ? html`<span part="entry" class="entry">entry</span>` : nothing}
        ${tab.readonly
          ? html`<svg part="readonly" class="lock" viewBox="0 0 16 16" aria-hidden="true"><path d="M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7zm2 0h4V5a2 2 0 0 0-4 0z" /></svg><span class="visually-hidden">read-only</span>`
          : nothing}
      </button>`,
    )}
  </div>`;
}
