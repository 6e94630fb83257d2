/** The prompt the assistant is sent (prompt.ts): what it holds, in what order, and what is cut first over the cap. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ChatMessage } from "./chat.js";
import { parseEdits } from "./edit-blocks.js";
import { buildPrompt, SYSTEM_PROMPT } from "./prompt.js";

describe("buildPrompt", () => {
  const msg = (role: ChatMessage["role"], text: string, status: ChatMessage["status"] = "done") => ({ role, text, status });

  test("includes the system prompt, the files and the recent chat, ending with the question", () => {
    const { system, messages } = buildPrompt({
      files: { "index.tsx": "export default 1;\n", "a.css": "body{}" },
      chat: [msg("user", "hi"), msg("assistant", "hello"), msg("assistant", "", "streaming"), msg("assistant", "x", "error")],
      question: "make it red",
      maxChars: 60_000,
    });
    assert.ok(system.startsWith(SYSTEM_PROMPT));
    assert.ok(system.includes("```file:index.tsx\nexport default 1;\n```"));
    assert.ok(system.includes("```file:a.css\nbody{}\n```"));
    assert.ok(system.indexOf("a.css") < system.indexOf("file:index.tsx"), "files in name order");
    assert.deepEqual(messages, [
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello" },
      { role: "user", content: "make it red" },
    ]);
  });

  test("the question already at the end of the chat is not sent twice", () => {
    const { messages } = buildPrompt({ files: {}, chat: [msg("user", "q1"), msg("assistant", "a1"), msg("user", "q2")], question: "q2", maxChars: 10_000 });
    assert.deepEqual(messages.map((m) => m.content), ["q1", "a1", "q2"]);
  });

  test("an agent's change messages are left out: the files already hold them", () => {
    const { messages } = buildPrompt({
      files: {},
      chat: [msg("user", "hi"), msg("agent", "changed index.tsx"), msg("assistant", "hello")],
      question: "next",
      maxChars: 60_000,
    });
    assert.equal(messages.some((m) => m.content.includes("changed index.tsx")), false);
    assert.deepEqual(messages.map((m) => m.role), ["user", "assistant", "user"]);
  });

  test("turns alternate and start with the user", () => {
    const { messages } = buildPrompt({
      files: {},
      chat: [msg("assistant", "orphan"), msg("user", "a"), msg("user", "b"), msg("assistant", "c", "cancelled")],
      question: "d",
      maxChars: 10_000,
    });
    assert.deepEqual(messages, [
      { role: "user", content: "a\n\nb" },
      { role: "assistant", content: "c" },
      { role: "user", content: "d" },
    ]);
  });

  test("over the cap, the oldest chat goes first", () => {
    const chat = Array.from({ length: 20 }, (_, i) => msg(i % 2 ? "assistant" : "user", `turn ${i} ` + "x".repeat(1000)));
    const files = { "a.ts": "y".repeat(2000) };
    const maxChars = SYSTEM_PROMPT.length + 8000;
    const { system, messages } = buildPrompt({ files, chat, question: "now?", maxChars });
    const total = system.length + messages.reduce((n, m) => n + m.content.length, 0);
    assert.ok(total <= maxChars, `${total} <= ${maxChars}`);
    assert.ok(system.includes("y".repeat(2000)), "files are kept whole while chat can be dropped");
    assert.equal(messages.at(-1)!.content, "now?");
    assert.equal(messages[0]!.role, "user");
    assert.match(messages.at(-2)!.content, /^turn 19 /, "the newest turns stay");
    assert.ok(messages.length < 21 && messages.length > 2);
  });

  test("then the large files are truncated with a note, small ones stay whole", () => {
    const files = { "big.ts": "b".repeat(50_000), "huge.ts": "h".repeat(80_000), "small.ts": "s".repeat(100) };
    const maxChars = 30_000;
    const { system, messages } = buildPrompt({ files, chat: [msg("user", "old"), msg("assistant", "older")], question: "q", maxChars });
    const total = system.length + messages.reduce((n, m) => n + m.content.length, 0);
    assert.ok(total <= maxChars, `${total} <= ${maxChars}`);
    assert.ok(total > maxChars - 1000, "the budget is used");
    assert.deepEqual(messages, [{ role: "user", content: "q" }]);
    assert.ok(system.includes("s".repeat(100) + "\n```"));
    assert.match(system, /```file:big\.ts\nb+\n\[\.\.\. truncated: \d+ more characters not shown \.\.\.\]\n```/);
    assert.match(system, /```file:huge\.ts\nh+\n\[\.\.\. truncated: \d+ more characters not shown \.\.\.\]\n```/);
  });

  test("a file containing fences is fenced longer, and an empty project says so", () => {
    const { system } = buildPrompt({ files: { "README.md": "```js\nx\n```\n" }, chat: [], question: "q", maxChars: 60_000 });
    assert.ok(system.includes("````file:README.md\n```js\nx\n```\n````"));
    assert.deepEqual(parseEdits(system.slice(SYSTEM_PROMPT.length)), [{ kind: "file", file: "README.md", content: "```js\nx\n```\n" }]);
    assert.match(buildPrompt({ files: {}, chat: [], question: "q", maxChars: 60_000 }).system, /no files yet/);
  });

  test("the system prompt's own examples parse as the edit format it describes", () => {
    const edits = parseEdits(SYSTEM_PROMPT);
    assert.deepEqual(edits.map((e) => [e.kind, e.file]), [["replace", "index.tsx"], ["file", "styles.css"]]);
  });
});
