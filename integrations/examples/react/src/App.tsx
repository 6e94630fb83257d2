/** A room with an editor and its preview, through the `spike/react` components; the status line comes from their events. */
import { useState } from "react";
import { SpikeEditor, SpikePreview, SpikeRoom, type EditorStatus } from "spike/react";

export function App({ room, server }: { room: string; server: string }) {
  const [status, setStatus] = useState<EditorStatus>("connecting");
  const [length, setLength] = useState(0);
  const [renders, setRenders] = useState(0);
  return (
    <main>
      <h1>spike in React</h1>
      <SpikeRoom room={room} server={server} theme="light">
        <div className="row">
          <SpikeEditor
            file="index.tsx"
            readonly={false}
            onSpikeStatus={(e) => setStatus(e.detail.status)}
            onSpikeChange={(e) => setLength(e.detail.text.length)}
          />
          <SpikePreview onSpikeRender={() => setRenders((n) => n + 1)} />
        </div>
      </SpikeRoom>
      <p id="status">
        React: <span id="state">{status}</span>, <span id="length">{length}</span> characters, {renders} renders
      </p>
      <style>{`.row { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }`}</style>
    </main>
  );
}
