/**
 * `spike/markdown-it`: a markdown-it plugin (VitePress, and any markdown-it site) that renders ```` ```tsx spike ```` and
 * ```` ```tsx spike room=… ```` fences as lite embeds, their code highlighted at build time; other fences render as before.
 */
import { embedFor, embedHtml, parseFence, SpikeFenceError, type SpikeDocsOptions } from "./docs-embed.js";

export { parseFence, SpikeFenceError, type SpikeDocsOptions, type SpikeFence } from "./docs-embed.js";

/** The parts of a markdown-it fence token the plugin reads. */
interface FenceToken {
  type: string;
  info: string;
  content: string;
  map: [number, number] | null;
}

/** markdown-it's render rule (its own type lives in @types/markdown-it, which spike does not depend on). */
type RenderRule = (tokens: any[], idx: number, options: any, env: any, self: any) => string;

/** The parts of a markdown-it instance the plugin touches. */
export interface MarkdownItLike {
  renderer: { rules: { fence?: RenderRule | undefined } };
}

/** A fence's language (first word of its info string) and the rest, as remark splits them into `lang` and `meta`. */
function splitInfo(info: string): [string, string] {
  const trimmed = info.trim();
  const space = trimmed.search(/\s/);
  return space < 0 ? [trimmed, ""] : [trimmed.slice(0, space), trimmed.slice(space + 1)];
}

/**
 * The plugin: `md.use(markdownItSpike, { server })`. A fence with a bad option throws a SpikeFenceError naming its line.
 * @example
 * const md = new MarkdownIt().use(markdownItSpike); const html = md.render(markdown);
 */
export default function markdownItSpike(md: MarkdownItLike, options: SpikeDocsOptions = {}): void {
  const fallback = md.renderer.rules.fence;
  md.renderer.rules.fence = function renderFence(tokens, idx, renderOptions, env, self) {
    const token = tokens[idx] as FenceToken;
    const fence = readFence(token);
    if (!fence) {
      if (!fallback) throw new Error("markdown-it has no fence renderer to fall back on");
      return fallback(tokens, idx, renderOptions, env, self);
    }
    // The fence's place among the document's spike fences: the same number remark gives it.
    const index = (tokens as FenceToken[]).slice(0, idx).filter((t) => t.type === "fence" && readFence(t)).length;
    return `${embedHtml(embedFor(fence, token.content, index, options))}\n`;
  };
}

function readFence(token: FenceToken) {
  try {
    return parseFence(...splitInfo(token.info));
  } catch (error) {
    if (error instanceof SpikeFenceError && token.map) error.message += ` (line ${token.map[0] + 1})`;
    throw error;
  }
}
