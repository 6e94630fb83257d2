/**
 * Voice questions for <spike-chat>: record from the microphone with MediaRecorder, then turn the audio into text with the
 * server's `POST /api/transcribe` (OpenAI's Whisper behind it; the key never reaches the page).
 */

/** A recording in progress: `stop(true)` drops it, `stop(false)` hands the audio to the callback given at start. */
export interface Recording {
  stop(discard: boolean): void;
}

/**
 * Ask for the microphone and start recording. Rejects with a message fit to show when the browser cannot record or the
 * user refuses the microphone.
 * @example const recording = await startRecording((audio) => transcribe(server, audio)); … recording.stop(false);
 */
export async function startRecording(onAudio: (audio: Blob) => void): Promise<Recording> {
  if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === "undefined") {
    throw new Error("This browser cannot record audio");
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (error) {
    throw new Error(`No microphone: ${(error as Error).message}`);
  }
  const recorder = new MediaRecorder(stream);
  const chunks: Blob[] = [];
  let discard = false;
  recorder.ondataavailable = (event) => event.data.size > 0 && chunks.push(event.data);
  recorder.onstop = () => {
    for (const track of stream.getTracks()) track.stop();
    if (!discard) onAudio(new Blob(chunks, { type: recorder.mimeType || "audio/webm" }));
  };
  recorder.start();
  return {
    stop: (drop) => {
      discard = drop;
      recorder.stop();
    },
  };
}

/**
 * The text spoken in `audio`, from `<server>/api/transcribe`. Rejects with the server's error text. `headers` adds e.g.
 * `Authorization: Bearer …` for a signed-in user.
 * @example const text = await transcribe("http://localhost:8787", blob);
 */
export async function transcribe(server: string, audio: Blob, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(new URL("/api/transcribe", server), {
    method: "POST",
    headers: { "content-type": audio.type, ...headers },
    body: audio,
  });
  if (!response.ok) throw new Error(await errorText(response));
  const { text } = (await response.json()) as { text?: string };
  return text ?? "";
}

/** The `{ error }` text of a JSON error response, else the status line. */
export async function errorText(response: Response): Promise<string> {
  const body = await response.text().catch(() => "");
  try {
    const error = (JSON.parse(body) as { error?: unknown }).error;
    if (typeof error === "string" && error) return error;
  } catch {
    // not JSON
  }
  return `${response.status} ${response.statusText || "error"}`.trim();
}
