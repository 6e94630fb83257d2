/**
 * Voice questions for <spike-chat>: record from the microphone with MediaRecorder. The element turns the audio into text
 * with `client.http.transcribe` (core/room-http.ts: the server's `POST /api/transcribe`, OpenAI's Whisper behind it; the
 * key never reaches the page).
 */

/** A recording in progress: `stop(true)` drops it, `stop(false)` hands the audio to the callback given at start. */
export interface Recording {
  stop(discard: boolean): void;
}

/**
 * Ask for the microphone and start recording. Rejects with a message fit to show when the browser cannot record or the
 * user refuses the microphone.
 * @example const recording = await startRecording((audio) => client.http.transcribe(audio)); … recording.stop(false);
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
