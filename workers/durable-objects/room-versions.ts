/**
 * A room's saved versions in R2 (bucket ROOMS, `rooms/<room>/versions/<n>.json`): saving the live files as an immutable
 * numbered version, listing and reading them, restoring one into the live document as ONE ordinary Yjs transaction that
 * every client receives, and undoing that restore. Undo works the way Y.UndoManager does, on Yjs identities: it deletes
 * exactly the characters the restore inserted (wherever they are now) and puts back the text it removed where it was,
 * so whatever others typed since, around or inside the restored text, is kept. See README "Versions".
 */
import * as Y from "yjs";
import type { Version, VersionAuthor, VersionInfo, VersionRestored, RestoreUndone } from "../../core/api.js";
import { META_KEY, entryOf, filesOf, isValidFileName, readFiles } from "../../core/project.js";

/** R2 keys of a room's versions (contract shared with forks and the renderer). */
export const versionKeys = {
  /** Prefix of every version object of `room`. */
  prefix: (room: string) => `rooms/${room}/versions/`,
  /** The version's JSON: `{n, name, author, createdAt, auto, entry, files}`. */
  version: (room: string, n: number) => `rooms/${room}/versions/${n}.json`,
  /** The version's bundled `index.js`, written by the Worker that saved it or on its first request. */
  bundle: (room: string, n: number) => `rooms/${room}/versions/${n}/index.js`,
  /** An undo record of one restore. */
  restore: (room: string, id: string) => `rooms/${room}/restores/${id}.json`,
} as const;

/** Longest version name. */
export const MAX_VERSION_NAME_CHARS = 100;
/** Restores that stay undoable per room (older undo records are deleted). */
const UNDOABLE_RESTORES = 10;

/** What the versions need from their room. */
export interface VersionsRoom {
  bucket: R2Bucket;
  /** The room's current document. */
  doc(): Y.Doc;
  /** True when the stored document may grow by `growth` bytes within its limit. */
  fits(growth: number): boolean;
}

/** One file a restore touched, as its undo record keeps it. */
interface RestoredFile {
  file: string;
  kind: "changed" | "created" | "deleted";
  /** The text the restore removed (for "deleted", the whole file). */
  before: string;
  /** The text the restore wrote (for "created", the whole file). */
  after: string;
  /** Where the span starts ("changed" only): a Yjs relative position (as JSON) stuck to the character before it. */
  start?: unknown;
  /** The characters the restore inserted ("changed" only): Yjs ids `client`, `clock` … `clock + length - 1`. */
  inserted?: { client: number; clock: number; length: number };
}

/** The undo record of one restore, in R2. */
interface RestoreRecord {
  id: string;
  n: number;
  files: RestoredFile[];
  /** The entry file before the restore, when the restore changed it. */
  entryBefore?: string;
}

/**
 * A room's versions. One instance per CodeRoom; saves are serialized, so two saves never take one number.
 * @example const info = await versions.save("demo", { name: "Before the refactor", author: null, auto: false });
 */
export class RoomVersions {
  #room: VersionsRoom;
  /** The next version number of the room, once learned from R2. */
  #next: number | null = null;
  #saving: Promise<unknown> = Promise.resolve();

  constructor(room: VersionsRoom) {
    this.#room = room;
  }

  /** Save the live files as the room's next version. */
  save(room: string, { name, author, auto }: { name: string | null; author: VersionAuthor | null; auto: boolean }): Promise<Version> {
    const saving = this.#saving.then(async () => {
      const n = this.#next ?? (await this.#highest(room)) + 1;
      const doc = this.#room.doc();
      const version: Version = {
        n,
        name: name ?? (auto ? `Autosave ${n}` : `Version ${n}`),
        author,
        createdAt: new Date().toISOString(),
        auto,
        entry: entryOf(doc),
        files: readFiles(doc),
      };
      await this.#room.bucket.put(versionKeys.version(room, n), JSON.stringify(version), {
        httpMetadata: { contentType: "application/json" },
        customMetadata: { name: version.name, author: JSON.stringify(author), createdAt: version.createdAt, auto: auto ? "1" : "0" },
      });
      this.#next = n + 1;
      return version;
    });
    this.#saving = saving.catch(() => {});
    return saving;
  }

  /** Every version of the room, newest first, from the objects' metadata (no version body is read). */
  async list(room: string): Promise<VersionInfo[]> {
    const versions: VersionInfo[] = [];
    for await (const object of this.#objects(room)) {
      const n = numberOf(room, object.key);
      if (n === null) continue;
      const meta = object.customMetadata ?? {};
      versions.push({
        n,
        name: meta.name ?? `Version ${n}`,
        author: parseAuthor(meta.author),
        createdAt: meta.createdAt ?? object.uploaded.toISOString(),
        auto: meta.auto === "1",
      });
    }
    return versions.sort((a, b) => b.n - a.n);
  }

  /** Version `n`, or null when the room has none by that number. */
  async read(room: string, n: number): Promise<Version | null> {
    const object = await this.#room.bucket.get(versionKeys.version(room, n));
    if (!object) return null;
    return (await object.json()) as Version;
  }

  /** Delete the oldest automatic versions beyond `keep` (and their bundles); named versions stay. Returns how many went. */
  async prune(room: string, keep: number): Promise<number> {
    const autos = (await this.list(room)).filter((version) => version.auto);
    const old = autos.slice(keep);
    if (old.length === 0) return 0;
    await this.#room.bucket.delete(old.flatMap(({ n }) => [versionKeys.version(room, n), versionKeys.bundle(room, n)]));
    return old.length;
  }

  /**
   * Bytes the restore of `version` may add to the document (its new text, UTF-8 at worst, plus per-file overhead), for
   * the room's size check before anything is written.
   */
  growthOf(version: Version): number {
    const current = readFiles(this.#room.doc());
    let growth = 0;
    for (const [name, text] of Object.entries(version.files)) if (current[name] !== text) growth += 3 * text.length + 64;
    return growth;
  }

  /**
   * Bring `version` back into the live document in ONE transaction (origin `{ versionRestore: n }`): changed files get only
   * their changed span rewritten (so others' cursors and concurrent typing elsewhere survive), missing files are created,
   * files the version did not have are deleted, and the entry file is set back. Nothing awaits between reading the
   * document and writing it. Returns what changed and the undo record to store.
   */
  restore(version: Version, id: string): { answer: VersionRestored; record: RestoreRecord } {
    const doc = this.#room.doc();
    const files = filesOf(doc);
    const restored: RestoredFile[] = [];
    let entryBefore: string | undefined;
    doc.transact(() => {
      for (const [name, next] of Object.entries(version.files)) {
        if (!isValidFileName(name)) continue;
        const text = files.get(name);
        if (!(text instanceof Y.Text)) {
          files.set(name, new Y.Text(next));
          restored.push({ file: name, kind: "created", before: "", after: next });
          continue;
        }
        const change = rewrite(text, next);
        if (change) restored.push({ file: name, kind: "changed", ...change });
      }
      for (const [name, text] of [...files.entries()]) {
        if (Object.hasOwn(version.files, name)) continue;
        // Read before the delete: a deleted Y.Text reads as empty.
        if (text instanceof Y.Text && isValidFileName(name)) restored.push({ file: name, kind: "deleted", before: text.toString(), after: "" });
        files.delete(name);
      }
      if (version.entry && entryOf(doc) !== version.entry) {
        entryBefore = entryOf(doc);
        doc.getMap<unknown>(META_KEY).set("entry", version.entry);
      }
    }, { versionRestore: version.n });
    const of = (kind: RestoredFile["kind"]) => restored.filter((file) => file.kind === kind).map((file) => file.file);
    return {
      answer: { restored: version.n, restore: id, changed: of("changed"), created: of("created"), deleted: of("deleted") },
      record: { id, n: version.n, files: restored, ...(entryBefore ? { entryBefore } : {}) },
    };
  }

  /** Store a restore's undo record, keeping only the newest few per room. */
  async keep(room: string, record: RestoreRecord): Promise<void> {
    await this.#room.bucket.put(versionKeys.restore(room, record.id), JSON.stringify(record));
    const listed = await this.#room.bucket.list({ prefix: `rooms/${room}/restores/` });
    const old = listed.objects.map((object) => object.key).sort().reverse().slice(UNDOABLE_RESTORES);
    if (old.length > 0) await this.#room.bucket.delete(old);
  }

  /** The undo record of restore `id`, or null (unknown, already undone, or too old). */
  async record(room: string, id: string): Promise<RestoreRecord | null> {
    const object = await this.#room.bucket.get(versionKeys.restore(room, id));
    return object ? ((await object.json()) as RestoreRecord) : null;
  }

  /** Forget restore `id` (it was undone). */
  async forget(room: string, id: string): Promise<void> {
    await this.#room.bucket.delete(versionKeys.restore(room, id));
  }

  /**
   * Set back what restore `record` did, in ONE transaction (origin `{ restoreUndo: id }`): in a changed file, the
   * characters the restore inserted are deleted and the text it removed goes back where it was; what others typed since
   * stays. A file the restore created is deleted only while nobody changed it, and a file it deleted comes back only
   * while no file took its name: otherwise it is a conflict and left alone.
   */
  undo(record: RestoreRecord): RestoreUndone {
    const doc = this.#room.doc();
    const files = filesOf(doc);
    const undone: string[] = [];
    const conflicts: string[] = [];
    doc.transact(() => {
      for (const entry of record.files) {
        const text = files.get(entry.file);
        if (entry.kind === "deleted") {
          if (text !== undefined) conflicts.push(entry.file);
          else {
            files.set(entry.file, new Y.Text(entry.before));
            undone.push(entry.file);
          }
        } else if (entry.kind === "created") {
          if (text instanceof Y.Text && text.toString() === entry.after) {
            files.delete(entry.file);
            undone.push(entry.file);
          } else conflicts.push(entry.file);
        } else {
          if (!(text instanceof Y.Text) || !unrewrite(doc, text, entry)) conflicts.push(entry.file);
          else undone.push(entry.file);
        }
      }
      if (record.entryBefore && (undone.includes(record.entryBefore) || filesOf(doc).has(record.entryBefore))) {
        doc.getMap<unknown>(META_KEY).set("entry", record.entryBefore);
      }
    }, { restoreUndo: record.id });
    return { undone, conflicts };
  }

  /** The highest version number the room has in R2 (0 for none). */
  async #highest(room: string): Promise<number> {
    let highest = 0;
    for await (const object of this.#objects(room)) highest = Math.max(highest, numberOf(room, object.key) ?? 0);
    return highest;
  }

  /** The room's version objects (`<n>.json`, not the bundles under `<n>/`), every page of the listing. */
  async *#objects(room: string): AsyncGenerator<R2Object> {
    let cursor: string | undefined;
    do {
      const page = await this.#room.bucket.list({
        prefix: versionKeys.prefix(room),
        delimiter: "/",
        // `include` is in the runtime (since compatibility date 2022-08-04) but not in the default workers-types.
        include: ["customMetadata"],
        ...(cursor ? { cursor } : {}),
      } as R2ListOptions);
      yield* page.objects;
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
  }
}

/** Rewrite `text` to `next` touching only the changed span; the span's removed and written text and where it now lies. */
function rewrite(text: Y.Text, next: string): Omit<RestoredFile, "file" | "kind"> | null {
  const current = text.toString();
  if (current === next) return null;
  let head = 0;
  const max = Math.min(current.length, next.length);
  while (head < max && current.charCodeAt(head) === next.charCodeAt(head)) head++;
  let tail = 0;
  while (tail < max - head && current.charCodeAt(current.length - 1 - tail) === next.charCodeAt(next.length - 1 - tail)) tail++;
  const before = current.slice(head, current.length - tail);
  const after = next.slice(head, next.length - tail);
  const doc = text.doc!;
  if (before.length > 0) text.delete(head, before.length);
  // One insert of a string is one run of clocks of this document's client: undo finds those characters by id.
  const inserted = { client: doc.clientID, clock: Y.getState(doc.store, doc.clientID), length: after.length };
  if (after.length > 0) text.insert(head, after);
  const start = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, head, -1));
  return { before, after, start, inserted };
}

/**
 * Undo one rewrite: delete the characters it inserted that are still there, then put back the text it removed at the
 * start of its span. False when the span's place cannot be found any more.
 */
function unrewrite(doc: Y.Doc, text: Y.Text, entry: RestoredFile): boolean {
  const start = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(entry.start), doc);
  if (!start || start.type !== text) return false;
  const ranges: Array<[index: number, length: number]> = [];
  const { client, clock, length } = entry.inserted ?? { client: -1, clock: 0, length: 0 };
  let index = 0;
  for (let item = text._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue;
    if (item.id.client === client) {
      const from = Math.max(clock, item.id.clock);
      const to = Math.min(clock + length, item.id.clock + item.length);
      if (from < to) ranges.push([index + from - item.id.clock, to - from]);
    }
    index += item.length;
  }
  let at = start.index;
  for (const [from, count] of ranges.reverse()) {
    text.delete(from, count);
    if (from < at) at -= Math.min(count, at - from);
  }
  if (entry.before) text.insert(Math.min(at, text.length), entry.before);
  return true;
}

/** The version number of a `rooms/<room>/versions/<n>.json` key, or null. */
function numberOf(room: string, key: string): number | null {
  const match = /^(\d+)\.json$/.exec(key.slice(versionKeys.prefix(room).length));
  return match ? Number(match[1]) : null;
}

function parseAuthor(raw: string | undefined): VersionAuthor | null {
  if (!raw) return null;
  try {
    const author = JSON.parse(raw) as VersionAuthor | null;
    return author && typeof author.id === "string" && typeof author.name === "string" ? author : null;
  } catch {
    return null;
  }
}
