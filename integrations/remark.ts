/**
 * `spike/remark`: a remark (unified) plugin that turns ```` ```tsx spike ```` and ```` ```tsx spike room=… ```` fences into
 * lite embeds, their code highlighted at build time. The embed goes to rehype as hast elements (not raw HTML), so it works
 * in plain remark -> rehype pipelines and in MDX (Docusaurus, Astro, Next), where raw HTML is not allowed.
 */
import { embedFor, parseFence, SpikeFenceError, type EmbedElement, type SpikeDocsOptions } from "./docs-embed.js";

export { parseFence, SpikeFenceError, type SpikeDocsOptions, type SpikeFence } from "./docs-embed.js";

/** The parts of an mdast node the plugin reads (any mdast tree fits; spike does not depend on unified's types). */
export interface MarkdownNode {
  type: string;
  lang?: string | null | undefined;
  meta?: string | null | undefined;
  value?: string;
  children?: MarkdownNode[];
  position?: unknown;
  data?: object | undefined;
}

/** The parts of a vfile the plugin uses: `fail` reports a bad fence with its place in the file. */
export interface MarkdownFile {
  fail(reason: string, place?: never): never;
}

/** A hast node as mdast-util-to-hast takes it in `data.hChildren`. */
type HastContent = { type: "text"; value: string } | { type: "element"; tagName: string; properties: Record<string, unknown>; children: HastContent[] };

/** The embed's attributes as hast properties (`class` -> `className`, `data-file` -> `dataFile`). */
function hastProperties(attributes: EmbedElement["attributes"]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "class") properties.className = String(value).split(" ");
    else properties[name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  }
  return properties;
}

function toHast(node: EmbedElement | string): HastContent {
  if (typeof node === "string") return { type: "text", value: node };
  return { type: "element", tagName: node.tag, properties: hastProperties(node.attributes), children: node.children.map(toHast) };
}

/**
 * The plugin: `.use(remarkSpike, { server })`. Each spike fence is replaced by its embed (see README "Docs sites" for the
 * fence options); a fence with a bad option fails the build with its line.
 * @example
 * const html = await unified().use(remarkParse).use(remarkSpike).use(remarkRehype).use(rehypeStringify).process(markdown);
 */
export default function remarkSpike(options: SpikeDocsOptions = {}) {
  return function transform(tree: MarkdownNode, file?: MarkdownFile): void {
    let index = 0;
    const walk = (parent: MarkdownNode): void => {
      const children = parent.children ?? [];
      for (let i = 0; i < children.length; i++) {
        const node = children[i]!;
        if (node.type !== "code") {
          if (node.children) walk(node);
          continue;
        }
        let fence;
        try {
          fence = parseFence(node.lang, node.meta);
        } catch (error) {
          if (error instanceof SpikeFenceError && file) file.fail(error.message, node as never);
          throw error;
        }
        if (!fence) continue;
        const embed = embedFor(fence, node.value ?? "", index++, options);
        const hast = toHast(embed) as Extract<HastContent, { type: "element" }>;
        // An unknown node with hName/hProperties/hChildren becomes exactly that element (mdast-util-to-hast).
        children[i] = {
          type: "spikeEmbed",
          position: node.position,
          data: { hName: hast.tagName, hProperties: hast.properties, hChildren: hast.children },
        };
      }
    };
    walk(tree);
  };
}
