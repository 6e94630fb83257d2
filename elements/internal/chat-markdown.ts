/**
 * Chat replies as sanitized HTML: marked turns the markdown into HTML and DOMPurify removes anything active from it, and
 * nothing in a reply makes the reader's browser fetch anything by itself. Loaded with dynamic import() on the first
 * message, so spike.js does not carry either library.
 */
import DOMPurify from "dompurify";
import { Marked } from "marked";

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * Raw HTML in a reply is shown as text, never parsed: a model explaining `<img onerror>` should be readable, and what is
 * never parsed cannot run. DOMPurify still sanitizes the result as a second line of defence.
 */
const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    // An image would be fetched by every reader's browser the moment the reply renders: a reply (or a prompt injection
    // in the code it read) could plant a tracking pixel. Show its alt text as a link the reader may choose to open.
    image({ href, text }) {
      const label = escapeHtml(text || href);
      if (!/^https?:\/\//i.test(href)) return label;
      return `<a href="${escapeHtml(href)}" class="image-link" title="${escapeHtml(`Image: ${href}`)}">${label}</a>`;
    },
    // An edit block (```edit:file / ```file:file, see core/edits.ts) gets a caption naming the file it changes.
    code({ text, lang }) {
      const target = /^(edit|file):(\S+)/.exec(lang ?? "");
      if (!target) return false;
      const caption = `${target[1] === "edit" ? "Edit" : "New content of"} ${target[2]}`;
      return `<figure class="edit"><figcaption>${escapeHtml(caption)}</figcaption><pre><code>${escapeHtml(text)}</code></pre></figure>\n`;
    },
  },
});

const purify = DOMPurify(window);
// Links open in a new tab without handing the page to the target.
purify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A") {
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer nofollow");
  }
});

/** Elements that load a resource on their own; none may survive, whatever produced them. */
const FETCHING_TAGS = ["img", "picture", "source", "video", "audio", "track", "image"];

/**
 * Markdown to HTML that is safe to put in the page: no scripts, no event handlers, no `javascript:` URLs, no forms or
 * frames, no images or media (nothing is requested until the reader clicks a link).
 * @example container.innerHTML = renderMarkdown("**hi** `code`");
 */
export function renderMarkdown(text: string): string {
  const html = markdown.parse(text) as string;
  return purify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select", "iframe", "object", "embed", ...FETCHING_TAGS],
    FORBID_ATTR: ["style"],
  });
}
