/**
 * Markdown rendered as the docs sites render it, with spike's plugins in: remark -> rehype (the unified pipeline of MDX,
 * Docusaurus and Astro) and markdown-it (VitePress). The plugins' tests, unit and end to end, share it.
 */
import { readFileSync } from "node:fs";
import MarkdownIt from "markdown-it";
import rehypeStringify from "rehype-stringify";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import markdownItSpike from "../integrations/markdown-it.js";
import remarkSpike from "../integrations/remark.js";
import type { SpikeDocsOptions } from "../integrations/docs-embed.js";

/** The fixture page: three spike fences (local, room-backed, read-only without preview) and one ordinary fence. */
export const FIXTURE_MARKDOWN = readFileSync(new URL("../integrations/fixtures/spike-fences.md", import.meta.url), "utf8");

/**
 * `markdown` as HTML through remark-parse, the spike remark plugin, remark-rehype and rehype-stringify.
 * @example const html = await renderWithRemark(FIXTURE_MARKDOWN);
 */
export async function renderWithRemark(markdown: string, options: SpikeDocsOptions = {}): Promise<string> {
  const file = await unified().use(remarkParse).use(remarkSpike, options).use(remarkRehype).use(rehypeStringify).process(markdown);
  return String(file);
}

/**
 * `markdown` as HTML through markdown-it with the spike plugin.
 * @example const html = renderWithMarkdownIt(FIXTURE_MARKDOWN);
 */
export function renderWithMarkdownIt(markdown: string, options: SpikeDocsOptions = {}): string {
  return new MarkdownIt().use(markdownItSpike, options).render(markdown);
}

/** Both renderers by name, for tests that run once per plugin. */
export const RENDERERS = {
  remark: renderWithRemark,
  "markdown-it": async (markdown: string, options?: SpikeDocsOptions) => renderWithMarkdownIt(markdown, options),
};
