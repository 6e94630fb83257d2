/**
 * CSS files as ES modules, in the page and in the transpiler Worker's bundles alike: importing one applies its styles
 * through a `<style data-spike-file="…">` in document.head (the same element is reused when a new version of the module
 * runs, so an edit replaces the old rules). A plain `.css` file exports its text; a `*.module.css` file scopes its class
 * names, as CSS Modules do in Vite, and exports `{ name: "scoped-name" }` as its default and as `classes`.
 */
import { hashText } from "./hash.js";

/** True for CSS Modules files (`*.module.css`), whose class names are scoped to the file. */
export function isCssModule(file: string): boolean {
  return file.endsWith(".module.css");
}

/**
 * The module code for CSS file `file`. The style-applying code runs only where there is a document, so the module can
 * also be evaluated in a worker or a test.
 * @example cssModuleCode("styles.css", "body { margin: 0 }") // 'const css = "body { margin: 0 }"; … export default css;'
 */
export function cssModuleCode(file: string, source: string): string {
  const scoped = isCssModule(file) ? scopeClassNames(file, source) : null;
  const css = scoped ? scoped.css : source;
  // File names are `[A-Za-z0-9._-]` segments (core/project.ts), and JSON's escapes are CSS's, so the selector is exact.
  const selector = `style[data-spike-file=${JSON.stringify(file)}]`;
  const apply =
    `const css = ${JSON.stringify(css)};\n` +
    `if (typeof document !== "undefined") {\n` +
    `  let style = document.head.querySelector(${JSON.stringify(selector)});\n` +
    `  if (!style) {\n` +
    `    style = document.createElement("style");\n` +
    `    style.setAttribute("data-spike-file", ${JSON.stringify(file)});\n` +
    `    style.textContent = css;\n` +
    `    document.head.appendChild(style);\n` +
    `  } else if (style.textContent !== css) {\n` +
    `    style.textContent = css;\n` +
    `  }\n` +
    `}\n`;
  if (!scoped) return apply + `export default css;\n`;
  return apply + `export const classes = ${JSON.stringify(scoped.classes)};\nexport { css };\nexport default classes;\n`;
}

/**
 * Renames every class selector of `source` to `<name>_<file hash>` and returns the mapping. Only selector preludes
 * (the text before a `{` that is not an at-rule) are touched, so values such as `url(a.png)` or `1.5em` stay as they are.
 * @example scopeClassNames("a.module.css", ".title { color: red }") // { css: ".title_k2x9 { color: red }", classes: { title: "title_k2x9" } }
 */
export function scopeClassNames(file: string, source: string): { css: string; classes: Record<string, string> } {
  const suffix = hashText(file).slice(0, 6);
  const classes: Record<string, string> = {};
  const masked = maskCommentsAndStrings(source);
  let out = "";
  let cursor = 0;
  let preludeStart = 0;
  for (let i = 0; i < masked.length; i++) {
    const ch = masked[i];
    if (ch === ";" || ch === "}") {
      preludeStart = i + 1;
    } else if (ch === "{") {
      const prelude = masked.slice(preludeStart, i);
      if (!prelude.trimStart().startsWith("@")) {
        for (const match of prelude.matchAll(/\.(-?[_a-zA-Z][\w-]*)/g)) {
          const name = match[1]!;
          const at = preludeStart + match.index!;
          classes[name] ??= `${name}_${suffix}`;
          out += source.slice(cursor, at) + "." + classes[name];
          cursor = at + match[0].length;
        }
      }
      preludeStart = i + 1;
    }
  }
  return { css: out + source.slice(cursor), classes };
}

/** `source` with comments and quoted strings replaced by spaces of the same length, so offsets still line up. */
function maskCommentsAndStrings(source: string): string {
  return source.replace(/\/\*[\s\S]*?(?:\*\/|$)|"(?:\\[\s\S]|[^"\\\n])*"?|'(?:\\[\s\S]|[^'\\\n])*'?/g, (m) =>
    " ".repeat(m.length),
  );
}
