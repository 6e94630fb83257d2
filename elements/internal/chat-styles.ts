/**
 * The shadow-root styles of <spike-chat>: the message log, markdown inside replies, the composer and the status bar, in
 * the palette's colours (elements/internal/palette.ts).
 */
import { css } from "lit";
import { signInStyles } from "./status-bar-styles.js";

export const chatStyles = css`
  :host {
    display: block;
    height: var(--spike-chat-height, 420px);
  }
  .base {
    display: flex;
    flex-direction: column;
    box-sizing: border-box;
    height: 100%;
    overflow: hidden;
    border: var(--spike-border, 1px solid var(--_line));
    border-radius: var(--spike-radius, 8px);
    background: var(--spike-chat-background, var(--_bg));
    color: var(--_fg);
    font-family: var(--spike-ui-font-family, system-ui, -apple-system, "Segoe UI", sans-serif);
    font-size: 14px;
  }
  .messages {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    padding: 12px;
    display: flex;
    flex-direction: column;
    gap: 10px;
  }
  .empty {
    margin: auto;
    color: var(--_muted);
    text-align: center;
  }
  .message {
    max-width: 92%;
    padding: 8px 12px;
    border: 1px solid var(--_line);
    border-radius: 10px;
    line-height: 1.45;
    overflow-wrap: anywhere;
  }
  .message.user {
    align-self: flex-end;
    background: var(--spike-chat-user-background, var(--_mine));
  }
  .message.assistant {
    align-self: flex-start;
  }
  .message.agent {
    align-self: flex-start;
    border-left: 3px solid #7c3aed;
  }
  .message.agent .who {
    font-weight: 600;
  }
  .meta .tag {
    text-transform: uppercase;
    letter-spacing: 0.04em;
    font-size: 11px;
  }
  .meta {
    display: flex;
    gap: 8px;
    align-items: baseline;
    margin-bottom: 4px;
    color: var(--_muted);
    font-size: 12px;
    white-space: normal;
  }
  .meta .who {
    color: var(--_fg);
    font-weight: 600;
  }
  .body > :first-child {
    margin-top: 0;
  }
  .body > :last-child {
    margin-bottom: 0;
  }
  .body pre {
    overflow-x: auto;
    padding: 8px 10px;
    border-radius: 6px;
    background: var(--_code);
    border: 1px solid var(--_line);
  }
  .body code {
    font-family: var(--spike-font-family, ui-monospace, "SF Mono", Menlo, Consolas, monospace);
    font-size: 0.9em;
  }
  .body :not(pre) > code {
    padding: 0.1em 0.3em;
    border-radius: 4px;
    background: var(--_code);
  }
  .body figure.edit {
    margin: 8px 0;
  }
  .body figure.edit figcaption {
    color: var(--_muted);
    font-size: 12px;
  }
  .body figure.edit pre {
    margin: 2px 0 0;
  }
  .body a {
    color: var(--_accent);
  }
  .body a.image-link::before {
    content: "Image: ";
    color: var(--_muted);
  }
  .plain {
    white-space: pre-wrap;
  }
  /* An /image result (chat-image.ts): the picture, then its asset name and import line. */
  figure.generated {
    margin: 8px 0 0;
  }
  figure.generated img {
    display: block;
    max-width: 100%;
    height: auto;
    border-radius: 6px;
    background: var(--_code);
  }
  figure.generated figcaption {
    margin-top: 4px;
    color: var(--_muted);
    font-size: 12px;
  }
  figure.generated code {
    padding: 0.1em 0.3em;
    border-radius: 4px;
    background: var(--_code);
  }
  .dots::after {
    content: "…";
    display: inline-block;
    animation: pulse 1s ease-in-out infinite;
  }
  @keyframes pulse {
    50% {
      opacity: 0.2;
    }
  }
  .error {
    margin-top: 6px;
    color: var(--_danger);
  }
  .note {
    margin-top: 6px;
    color: var(--_muted);
    font-size: 12px;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
    margin-top: 6px;
    font-size: 12px;
    color: var(--_muted);
  }
  .file {
    font-family: var(--spike-font-family, ui-monospace, "SF Mono", Menlo, Consolas, monospace);
    color: var(--_fg);
  }
  button {
    font: inherit;
    color: var(--_fg);
    background: var(--_bar);
    border: 1px solid var(--_line);
    border-radius: 6px;
    padding: 2px 10px;
    cursor: pointer;
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button.primary {
    background: var(--spike-accent, var(--_button));
    border-color: transparent;
    color: #ffffff;
    padding: 6px 14px;
  }
  button.mic {
    padding: 6px 10px;
  }
  button.mic[aria-pressed="true"] {
    color: #ffffff;
    background: var(--_danger);
    border-color: transparent;
  }
  .composer {
    display: flex;
    gap: 8px;
    align-items: flex-end;
    padding: 8px;
    border-top: 1px solid var(--_line);
  }
  textarea {
    flex: 1;
    box-sizing: border-box;
    min-height: 38px;
    max-height: 140px;
    resize: vertical;
    padding: 8px;
    font: inherit;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_line);
    border-radius: 6px;
  }
  .bar {
    display: flex;
    align-items: center;
    gap: 12px;
    min-height: 28px;
    padding: 0 10px;
    border-top: 1px solid var(--_line);
    background: var(--_bar);
    color: var(--_muted);
    font-size: 12px;
  }
  .bar .status {
    margin-left: auto;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .bar .status.is-error {
    color: var(--_danger);
  }
  ${signInStyles}
`;
