/**
 * The lite view's tokenizer, free of lit and the DOM: TypeScript/TSX tokenized the way Monaco's own TypeScript tokenizer
 * (its Monarch grammar) does, so code keeps its colours when the editor replaces it. The lite view (highlight.ts) and the
 * docs-site plugins (integrations/docs-embed.ts, which highlight at build time, in node) both use it.
 */

/** The kinds of token that get a colour (the rest is plain text): Monaco's token names. */
export type TokenKind = "comment" | "string" | "keyword" | "type" | "number" | "regexp";

/** Monaco's TypeScript keywords (monaco-editor's languages/definitions/typescript). */
const KEYWORDS = new Set(
  (
    "abstract any as asserts bigint boolean break case catch class continue const constructor debugger declare default " +
    "delete do else enum export extends false finally for from function get if implements import in infer instanceof " +
    "interface is keyof let module namespace never new null number object out package private protected public override " +
    "readonly require global return satisfies set static string super switch symbol this throw true try type typeof " +
    "undefined unique unknown var void while with yield async await of"
  ).split(" "),
);

/**
 * One alternative per token, tried at each position in order, as in Monaco's grammar: a regular expression only where it
 * is closed before the end of the line and followed by what may follow one (else `/` is division).
 */
const TOKEN = new RegExp(
  [
    /(\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))/, // 1 comment
    /("(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`(?:[^`\\]|\\[\s\S])*`?)/, // 2 string
    /(#?[a-z_$][\w$]*)/, // 3 identifier or keyword
    /([A-Z][\w$]*)/, // 4 type
    /(\/(?=(?:[^\\/\n]|\\.)+\/[dgimsuy]*\s*(?:[.;,)\]}]|$))(?:[^\\/\n]|\\.)+\/[dgimsuy]*)/, // 5 regexp
    /(0[xXoObB][\da-fA-F_]+n?|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][-+]?\d+)?n?)/, // 6 number
  ]
    .map((part) => part.source)
    .join("|"),
  "gm",
);

/**
 * The text cut into plain and coloured pieces; joined, they are the text again.
 * @example tokenize("const a = 1;") // [["keyword", "const"], [null, " a = "], ["number", "1"], [null, ";"]]
 */
export function tokenize(text: string): [TokenKind | null, string][] {
  const tokens: [TokenKind | null, string][] = [];
  let last = 0;
  const plain = (end: number) => {
    if (end > last) tokens.push([null, text.slice(last, end)]);
  };
  for (const match of text.matchAll(TOKEN)) {
    const [token, comment, string, word, type, regexp] = match;
    const kind: TokenKind | null = comment
      ? "comment"
      : string
        ? "string"
        : word
          ? KEYWORDS.has(word)
            ? "keyword"
            : null
          : type
            ? "type"
            : regexp
              ? "regexp"
              : "number";
    // An identifier that is not a keyword, or digits inside one (`a1`), stays plain.
    if (!kind || (kind === "number" && /[\w$]/.test(text[match.index - 1] ?? ""))) continue;
    plain(match.index);
    tokens.push([kind, token]);
    last = match.index + token.length;
  }
  plain(text.length);
  return tokens;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/**
 * `text` with the characters that mean something in HTML text or a quoted attribute escaped.
 * @example escapeHtml('a < "b"') // 'a &lt; &quot;b&quot;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ESCAPES[c]!);
}

