/**
 * The gallery's "View source" widget, shared by every page under demos/: a closed `<details id="source">` at the end of
 * the page's `<main>` that, when opened (or when a link to `#source` is followed), fetches the page's own HTML from the
 * server and shows it highlighted, with a copy button. Nothing is fetched until the reader asks.
 * @example <script type="module" src="/gallery.js"></script> <a href="#source">View source</a>
 */

/** Characters that must not reach innerHTML as themselves. */
const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
const escape = (text) => text.replace(/[&<>"]/g, (c) => ESCAPES[c]);

/**
 * HTML source as highlighted HTML: comments, tag names, attribute names and quoted values get a class each
 * (`comment`, `tag`, `attr`, `string`); everything else, script and style bodies included, is escaped text.
 * @example highlightHtml('<a href="/">x</a>') // '<span class="tag">&lt;a</span> <span class="attr">href</span>=…'
 */
export function highlightHtml(source) {
  let html = "";
  let last = 0;
  for (const match of source.matchAll(/<!--[\s\S]*?-->|<\/?[A-Za-z][\w-]*(?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*\s*\/?>/g)) {
    html += escape(source.slice(last, match.index));
    html += match[0].startsWith("<!--") ? `<span class="comment">${escape(match[0])}</span>` : highlightTag(match[0]);
    last = match.index + match[0].length;
  }
  return html + escape(source.slice(last));
}

/** One tag: its name, then each attribute name and value. */
function highlightTag(tag) {
  const [, open, rest, close] = /^(<\/?[A-Za-z][\w-]*)([\s\S]*?)(\/?>)$/.exec(tag);
  const attributes = rest.replace(/([^\s=]+)(\s*=\s*)?("[^"]*"|'[^']*'|[^\s>]+)?/g, (_, name, equals = "", value = "") =>
    `<span class="attr">${escape(name)}</span>${equals}${value ? `<span class="string">${escape(value)}</span>` : ""}`,
  );
  return `<span class="tag">${escape(open)}</span>${attributes}<span class="tag">${escape(close)}</span>`;
}

/**
 * Add the source view to the page (once) and open it when a `#source` link is followed.
 * @example mountSourceView(document.querySelector("main"))
 */
export function mountSourceView(container = document.querySelector("main") ?? document.body) {
  if (document.getElementById("source")) return document.getElementById("source");
  const details = document.createElement("details");
  details.id = "source";
  details.className = "gallery-source";
  details.innerHTML = `<summary>View source of this page</summary>
    <button type="button" class="gallery-button copy">Copy</button>
    <pre><code aria-label="Source of this page">Loading…</code></pre>`;
  const code = details.querySelector("code");
  const copy = details.querySelector(".copy");
  let source;
  details.addEventListener("toggle", async () => {
    if (!details.open || source !== undefined) return;
    source = null;
    try {
      const response = await fetch(location.pathname, { cache: "no-cache" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      source = await response.text();
      code.innerHTML = highlightHtml(source);
    } catch (error) {
      source = undefined;
      code.textContent = `Could not load this page's source (${error.message}).`;
    }
  });
  copy.addEventListener("click", async () => {
    if (!source) return;
    await navigator.clipboard.writeText(source).then(
      () => (copy.textContent = "Copied"),
      () => (copy.textContent = "Select the text to copy it"),
    );
  });
  container.append(details);
  const openFromHash = () => {
    if (location.hash !== "#source") return;
    details.open = true;
    details.scrollIntoView({ block: "start" });
  };
  addEventListener("hashchange", openFromHash);
  // A second click on a "#source" link changes no hash: open it all the same.
  document.addEventListener("click", (event) => {
    if (event.target.closest?.('a[href="#source"]')) details.open = true;
  });
  openFromHash();
  return details;
}

mountSourceView();
