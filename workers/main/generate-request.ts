/**
 * The body of `POST /live/<room>/assets/generate` and the asset name it gives (workers/main/generate-route.ts): pure
 * functions, so they are tested without a Worker.
 */
import { isValidFileName } from "../../core/project.js";
import { DEFAULT_IMAGE_MODEL, MAX_PROMPT_CHARS, modelError } from "../platform/replicate.js";

/** A generate request, validated. */
export interface GenerateRequest {
  prompt: string;
  model: string;
  /** The asset's name; derived from the prompt and the image's type when absent. */
  name: string | null;
}

/**
 * The body `{prompt, model?, name?}`, or why it is refused.
 * @example parseGenerateRequest('{"prompt":"a red fox"}') // { prompt: "a red fox", model: DEFAULT_IMAGE_MODEL, name: null }
 */
export function parseGenerateRequest(text: string): GenerateRequest | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'the body must be JSON: {"prompt": "...", "model"?: "owner/name", "name"?: "picture.png"}';
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "the body must be a JSON object {prompt, model?, name?}";
  const { prompt, model = DEFAULT_IMAGE_MODEL, name = null } = body as Record<string, unknown>;
  if (typeof prompt !== "string" || prompt.trim() === "") return "prompt must be a non-empty string";
  if (prompt.length > MAX_PROMPT_CHARS) return `prompt longer than ${MAX_PROMPT_CHARS} characters`;
  if (typeof model !== "string") return 'model must be a string such as "black-forest-labs/flux-schnell"';
  const badModel = modelError(model);
  if (badModel) return badModel;
  if (name !== null && (typeof name !== "string" || !isValidFileName(name) || name.includes("/"))) {
    return `name must be a plain file name such as "fox.png", not ${JSON.stringify(String(name).slice(0, 100))}`;
  }
  return { prompt: prompt.trim(), model, name };
}

/**
 * A file name from the first words of the prompt and the image's type.
 * @example assetName("A red fox, in the snow!", "image/webp") // "a-red-fox-in-the-snow.webp"
 */
export function assetName(prompt: string, type: string): string {
  const words = prompt.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, " ").trim().split(" ").filter(Boolean);
  let stem = "";
  for (const word of words) {
    if (stem && stem.length + word.length + 1 > 40) break;
    stem = stem ? `${stem}-${word}` : word.slice(0, 40);
  }
  return `${stem || "image"}.${IMAGE_EXTENSIONS[type] ?? "png"}`;
}

/**
 * `name` with the extension of `type` when it has another one.
 * @example withExtensionOf("fox.png", "image/webp") // "fox.webp"
 */
export function withExtensionOf(name: string, type: string): string {
  const extension = IMAGE_EXTENSIONS[type];
  if (!extension) return name;
  const stem = name.replace(/\.[^./]*$/, "");
  const current = name.slice(stem.length + 1).toLowerCase();
  if (current === extension || (extension === "jpg" && current === "jpeg")) return name;
  return `${stem}.${extension}`;
}

const IMAGE_EXTENSIONS: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/gif": "gif",
  "image/avif": "avif",
};
