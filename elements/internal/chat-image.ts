/**
 * The `/image <prompt>` command of <spike-chat>: the server generates the picture (`POST /live/<room>/assets/generate`,
 * Replicate) and stores it as a room asset. While it runs the chat shows the prompt with a progress line; then the
 * picture and how to import it, or the error. These entries belong to the page that asked; the asset itself reaches
 * everyone in the room.
 */
import { html, nothing } from "lit";
import { roomUrl, type ImageGenerated } from "../../core/api.js";
import type { RoomHttp } from "../../core/room-http.js";

/** The chat command that generates an image. */
export const IMAGE_COMMAND = "/image";

/** One `/image` request of this page. */
export interface ImageJob {
  id: string;
  prompt: string;
  status: "generating" | "done" | "error";
  /** The stored asset and the URL it is served from, once done. */
  asset?: ImageGenerated & { src: string };
  error?: string;
}

/**
 * The prompt of an `/image` command, "" for `/image` alone, or null when the text is no such command.
 * @example imagePrompt("/image a red fox") // "a red fox"
 * @example imagePrompt("Make it red") // null
 */
export function imagePrompt(text: string): string | null {
  const match = /^\/image(?:\s+([\s\S]*))?$/.exec(text.trim());
  return match ? (match[1] ?? "").trim() : null;
}

let counter = 0;

/**
 * Run one `/image` request, reporting each state of its job to `update` (generating, then done or error).
 * @example await generateImageJob(client.http, "a red fox", (job) => (state.images = upsert(state.images, job)));
 */
export async function generateImageJob(http: RoomHttp, prompt: string, update: (job: ImageJob) => void): Promise<ImageJob> {
  const job: ImageJob = { id: `image-${++counter}`, prompt, status: "generating" };
  update({ ...job });
  try {
    const asset = await http.generateImage({ prompt });
    // `url` is relative to the room and carries its `?v=<hash>`: resolved, not encoded as one path.
    const src = new URL(asset.url, roomUrl(http.server, http.room, "")).href;
    Object.assign(job, { status: "done", asset: { ...asset, src } });
  } catch (error) {
    Object.assign(job, { status: "error", error: (error as Error).message });
  }
  update({ ...job });
  return job;
}

/**
 * One job as a chat entry.
 * @example repeat(images, (job) => job.id, renderImageJob)
 */
export function renderImageJob(job: ImageJob) {
  return html`<article part="message image" class="message image" data-id=${job.id} data-status=${job.status} aria-busy=${job.status === "generating" ? "true" : "false"}>
    <div class="meta"><span class="who">${IMAGE_COMMAND}</span></div>
    <div class="body plain">${job.prompt}</div>
    ${job.status === "generating"
      ? html`<div class="actions"><span part="image-progress" class="dots" role="status">Generating the image</span></div>`
      : nothing}
    ${job.asset
      ? html`<figure class="generated">
          <img part="image-result" src=${job.asset.src} alt=${job.prompt} width="256" />
          <figcaption>
            Saved as <code>${job.asset.name}</code>; in the code:
            <code>import picture from "./${job.asset.name}";</code>
          </figcaption>
        </figure>`
      : nothing}
    ${job.status === "error" ? html`<div part="image-error" class="error" role="alert">Could not generate the image: ${job.error}</div>` : nothing}
  </article>`;
}
