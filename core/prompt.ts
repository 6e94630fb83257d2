/**
 * What the assistant is asked: the system prompt that teaches the edit format of edit-blocks.ts, the project files and
 * the recent chat, capped to a size the providers accept. Pure, so the CodeRoom DO and tests share it.
 */
import type { ChatMessage } from "./chat.js";

/** A chat turn sent to a model. */
export interface PromptMessage {
  role: "user" | "assistant";
  content: string;
}

/** The system prompt that explains the project context and the edit format to the model. */
export const SYSTEM_PROMPT = `You are a coding assistant inside a live collaborative code editor. Several people edit the project \
files together in real time; you see the current files below and answer questions about them in Markdown.

When the user asks for a change, change the files with edit blocks. Everything outside edit blocks is shown to the users as \
your explanation, so keep it short.

To change part of an existing file, use a fenced block whose info string is "edit:" followed by the file name, containing \
one or more SEARCH/REPLACE sections:

\`\`\`edit:index.tsx
<<<<<<< SEARCH
      <button>Save</button>
=======
      <button style={{ color: "red" }}>Save</button>
>>>>>>> REPLACE
\`\`\`

Rules for SEARCH/REPLACE:
- The SEARCH part must match the current file exactly, character for character, including indentation and comments.
- Include just enough lines to make the SEARCH part unique in the file; only its first occurrence is replaced.
- Use several small SEARCH/REPLACE sections rather than one large one; keep them in file order.
- To delete code, leave the REPLACE part empty.

To create a new file, or to rewrite a file completely, use a fenced block whose info string is "file:" followed by the \
file name, containing the complete new content:

\`\`\`file:styles.css
button { color: red; }
\`\`\`

If a file itself contains lines of three backticks, fence the block with four backticks instead. File names are relative \
paths like "components/App.tsx". Never use edit or file blocks for examples that should not change the project; use \
ordinary fenced code blocks (for example \`\`\`tsx) for those.`;

/**
 * The system text and chat turns for one question: `SYSTEM_PROMPT`, the project files and the recent chat, capped at
 * `maxChars` in total. Over the cap, the oldest chat turns go first, then the largest files are truncated (with a note).
 * `chat` is the history before the question; unfinished (streaming) and failed messages are left out.
 * @example const { system, messages } = buildPrompt({ files: readFiles(doc), chat: readChat(doc), question, maxChars: 60_000 })
 */
export function buildPrompt({
  files,
  chat,
  question,
  maxChars,
}: {
  files: Record<string, string>;
  chat: readonly Pick<ChatMessage, "role" | "text" | "status">[];
  question: string;
  maxChars: number;
}): { system: string; messages: PromptMessage[] } {
  let history: PromptMessage[] = chat
    .filter((m) => (m.status === "done" || m.status === "cancelled") && m.text.trim())
    // An agent's "changed index.tsx" is in the files already; the conversation is the people's and the assistant's.
    .flatMap((m) => (m.role === "agent" ? [] : [{ role: m.role, content: m.text }]));
  // The caller may pass the chat with the question already appended; don't send it twice.
  const last = history.at(-1);
  if (last?.role === "user" && last.content === question) history = history.slice(0, -1);

  const names = Object.keys(files).sort();
  const fixed = SYSTEM_PROMPT.length + question.length + names.reduce((n, name) => n + fileFrame(name, "").length, 0) + 64;
  const filesSize = names.reduce((n, name) => n + files[name]!.length, 0);
  const size = (turns: PromptMessage[]) => turns.reduce((n, m) => n + m.content.length, 0);
  while (history.length && fixed + filesSize + size(history) > maxChars) history = history.slice(1);

  const budget = Math.max(0, maxChars - fixed - size(history));
  const cap = filesSize > budget ? fairCap(names.map((n) => files[n]!.length), budget) : Infinity;
  const sections = names.map((name) => fileFrame(name, truncate(files[name]!, cap)));
  const system =
    SYSTEM_PROMPT +
    (names.length ? "\n\nThe project files, as they are now:\n\n" + sections.join("\n") : "\n\nThe project has no files yet.");
  return { system, messages: alternate([...history, { role: "user", content: question }]) };
}

/** A file shown to the model, fenced longer than any backtick run inside it. */
function fileFrame(name: string, content: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}file:${name}\n${content}${content.endsWith("\n") || !content ? "" : "\n"}${fence}\n`;
}

/** The largest per-file length such that all files cut to it fit `budget` (water-filling: small files stay whole). */
function fairCap(lengths: number[], budget: number): number {
  const sorted = [...lengths].sort((a, b) => a - b);
  let remaining = budget;
  for (let k = 0; k < sorted.length; k++) {
    const share = Math.floor(remaining / (sorted.length - k));
    if (sorted[k]! > share) return share;
    remaining -= sorted[k]!;
  }
  return Infinity;
}

const TRUNCATION_NOTE = (omitted: number) => `\n[... truncated: ${omitted} more characters not shown ...]\n`;

function truncate(content: string, cap: number): string {
  if (content.length <= cap) return content;
  const keep = Math.max(0, cap - TRUNCATION_NOTE(content.length).length);
  return content.slice(0, keep) + TRUNCATION_NOTE(content.length - keep);
}

/** Providers want turns that alternate and start with the user: merge neighbours of one role, drop a leading reply. */
function alternate(turns: PromptMessage[]): PromptMessage[] {
  const out: PromptMessage[] = [];
  for (const turn of turns) {
    const prev = out.at(-1);
    if (!prev && turn.role === "assistant") continue;
    if (prev?.role === turn.role) prev.content += "\n\n" + turn.content;
    else out.push({ ...turn });
  }
  return out;
}
