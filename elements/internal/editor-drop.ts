/**
 * Drag-and-drop of image and font files onto `<spike-editor>`: each file is uploaded as a room asset next to the open file
 * (core/room-http.ts uploadAsset; the server checks its type from the bytes) and an `import name from "./file.png";`
 * line is inserted after the file's imports, through the file's Y.Text, so collaborators see it like any edit.
 */
import type * as Y from "yjs";
import { ApiError, assetTypeOfName, type RoomClient } from "../../core/index.js";

/** What a drop needs from its editor, read at drop time. */
export interface DropTarget {
  /** The room's client; null for a local project (nothing to upload to). */
  client(): RoomClient | null;
  /** The open file's name and shared text, or null while none is bound. */
  file(): { name: string; text: Y.Text } | null;
  /** Whether the editor takes edits now (a read-only room or file takes no drop). */
  editable(): boolean;
  /** Tell the user what happened: uploading, done, or the error. */
  report(message: string, error?: boolean): void;
  /** The upload finished: `{file, asset}` of each stored asset. */
  uploaded(file: string, asset: string): void;
}

/**
 * Make `element` a drop zone for asset files; returns the function that stops it. Listens in the capture phase, so Monaco's
 * own text drop never sees a file drop.
 * @example const stop = acceptAssetDrops(container, target);
 */
export function acceptAssetDrops(element: HTMLElement, target: DropTarget): () => void {
  const onDragOver = (event: DragEvent) => {
    if (!hasFiles(event) || !target.client()) return;
    event.preventDefault();
    event.stopPropagation();
    if (event.dataTransfer) event.dataTransfer.dropEffect = target.editable() ? "copy" : "none";
  };
  const onDrop = (event: DragEvent) => {
    if (!hasFiles(event) || !target.client()) return;
    event.preventDefault();
    event.stopPropagation();
    void dropFiles([...event.dataTransfer!.files], target);
  };
  element.addEventListener("dragover", onDragOver, true);
  element.addEventListener("drop", onDrop, true);
  return () => {
    element.removeEventListener("dragover", onDragOver, true);
    element.removeEventListener("drop", onDrop, true);
  };
}

function hasFiles(event: DragEvent): boolean {
  return !!event.dataTransfer && [...event.dataTransfer.types].includes("Files");
}

async function dropFiles(files: File[], target: DropTarget): Promise<void> {
  const client = target.client();
  const open = target.file();
  if (!client || !open) return;
  if (!target.editable()) return target.report("This file is read-only: nothing was uploaded", true);
  const folder = open.name.includes("/") ? open.name.slice(0, open.name.lastIndexOf("/") + 1) : "";
  for (const file of files) {
    const name = folder + assetFileName(file.name);
    if (assetTypeOfName(name) === null) {
      target.report(`${file.name} is not an image or font (png, jpg, gif, webp, avif, svg, woff, woff2, ttf, otf)`, true);
      continue;
    }
    target.report(`Uploading ${file.name}…`);
    try {
      await client.http.uploadAsset(name, file);
    } catch (error) {
      target.report(`${file.name} was not uploaded: ${error instanceof ApiError ? error.message : (error as Error).message}`, true);
      continue;
    }
    // The file may have been switched during the upload: the import goes where the drop was.
    insertImport(open.text, name.slice(folder.length));
    target.report(`Uploaded ${name}`);
    target.uploaded(open.name, name);
  }
}

/**
 * A dropped file's name as an asset name: lowercase, runs of anything but `[a-z0-9._-]` as `-`.
 * @example assetFileName("My Logo (1).PNG") // "my-logo-1-.png"
 */
export function assetFileName(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[.-]+/, "");
  return cleaned || "asset";
}

/**
 * Insert `import <identifier> from "./<asset>";` after the last import at the top of `text` (or at the start); an asset
 * already imported is left alone.
 */
export function insertImport(text: Y.Text, asset: string): void {
  const source = text.toString();
  const specifier = `./${asset}`;
  if (source.includes(`"${specifier}"`) || source.includes(`'${specifier}'`)) return;
  const line = `import ${identifierOf(asset, source)} from "${specifier}";\n`;
  let offset = 0;
  const pattern = /^import\b[^;]*;?[^\n]*\n/gm;
  for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
    // Only the imports at the top: stop at the first line that is neither an import nor blank.
    if (source.slice(offset, match.index).trim() !== "") break;
    offset = match.index + match[0].length;
  }
  text.insert(offset, line);
}

/** A camelCase identifier from an asset's file name that the source does not use yet: `logo-dark.png` -> `logoDark`. */
function identifierOf(asset: string, source: string): string {
  const base = asset.replace(/\.[^.]+$/, "").split(/[^A-Za-z0-9]+/).filter(Boolean);
  let name = base.map((part, i) => (i === 0 ? part : part[0]!.toUpperCase() + part.slice(1))).join("") || "asset";
  if (/^[0-9]/.test(name)) name = `asset${name}`;
  let candidate = name;
  for (let n = 2; new RegExp(`\\b${candidate}\\b`).test(source); n++) candidate = `${name}${n}`;
  return candidate;
}
