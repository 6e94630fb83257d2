/**
 * How <spike-console> draws a line: its level, its arguments (strings as they are, objects as native `<details>` trees
 * whose entries render only once opened), a repeat count, and the file:line link that asks to see the place in the editor.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { ConsoleLine } from "./console-lines.js";
import type { ConsoleValue, SourceLocation } from "./preview-frame/messages.js";

/** What the view calls back: a link was clicked, a tree was opened or closed (re-render). */
export interface ConsoleViewHost {
  navigate(location: SourceLocation): void;
  requestUpdate(): void;
}

const LABELS = { build: "Build error", runtime: "Runtime error" } as const;
const LEVEL_NAMES = { error: "Error", warn: "Warning", info: "Info", log: "Log", debug: "Debug" } as const;

/** The trees a reader opened (a tree's entries render only then). */
const opened = new WeakSet<ConsoleValue>();

/** One line: `<li part="line line-<level>">`. */
export function renderLine(line: ConsoleLine, host: ConsoleViewHost): TemplateResult {
  const label = line.kind === "console" ? nothing : html`<span class="label">${LABELS[line.kind]}</span>`;
  return html`<li part="line line-${line.level}" class="line ${line.level}">
    <span class="level">${LEVEL_NAMES[line.level]}</span>
    ${line.count > 1 ? html`<span class="count" title="Logged ${line.count} times in a row">${line.count}</span>` : nothing}
    <div class="message">
      ${label}${line.values.map((value) => renderValue(value, host))}
      ${line.stack ? html`<details class="stack"><summary>Stack</summary><pre>${line.stack}</pre></details>` : nothing}
    </div>
    ${line.location ? renderLink(line.location, host) : nothing}
  </li>`;
}

/** A file:line button that fires `spike-navigate` (through host.navigate). */
function renderLink(location: SourceLocation, host: ConsoleViewHost): TemplateResult {
  const where = `${location.file}:${location.line}`;
  return html`<button part="link" class="link" type="button" title="Show ${where} in the editor" @click=${() => host.navigate(location)}>
    ${where}
  </button>`;
}

/** One argument, or one entry of a tree (`key` given): text, or a tree to open, with the key in its summary. */
function renderValue(value: ConsoleValue, host: ConsoleViewHost, key?: string): TemplateResult {
  const location = value.location ? renderLink(value.location, host) : nothing;
  const label = key === undefined ? nothing : html`<span class="key">${key}</span>${key.endsWith("=>") ? " " : ": "}`;
  if (!value.entries?.length) return html`${label}<span class="value ${value.type}">${value.text}</span>${location}`;
  const open = opened.has(value);
  const toggle = (event: Event) => {
    const details = event.currentTarget as HTMLDetailsElement;
    if (details.open === opened.has(value)) return;
    if (details.open) opened.add(value);
    else opened.delete(value);
    host.requestUpdate();
  };
  return html`<details part="tree" class="value tree ${value.type}" ?open=${open} @toggle=${toggle}>
      <summary>${label}${value.text}</summary>
      ${open
        ? html`<ul>
            ${value.entries.map(
              (entry) => html`<li>${renderValue(entry.value, host, entry.key)}</li>`,
            )}
            ${value.more ? html`<li class="more">… ${value.more} more</li>` : nothing}
          </ul>`
        : nothing}
    </details>${location}`;
}
