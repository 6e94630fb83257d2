/**
 * Reading and checking what clients send: a JSON body of bounded size, file names by the project's rules, strings where
 * strings belong. Every problem is an {@link InputError} carrying its 400 or 413, so no user input reaches esbuild unchecked
 * and none of it becomes a 500.
 */
import { isValidFileName } from "../../core/project.js";
import { MAX_BODY_BYTES, MAX_FILES, MAX_IMPORTS } from "./limits.js";

/** Bad input, answered as `{ error }` with `status`. */
export class InputError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
    this.name = "InputError";
  }
}

/** `POST /api/transpile` body. */
export interface TranspileInput {
  file: string;
  code: string;
}

/** `POST /api/bundle` body. */
export interface BundleInput {
  files: Record<string, string>;
  entry: string;
  /** Bare specifier -> URL; a key ending in `/` maps every specifier under it, as in an import map. */
  imports?: Record<string, string>;
  /** URL prefix for bare specifiers not in `imports` (e.g. `https://host/npm/`); without it they stay as written. */
  importFallback?: string;
}

/**
 * The request body parsed as JSON: at most {@link MAX_BODY_BYTES}, valid UTF-8, a JSON object.
 * @example const body = await readJsonBody(c.req.raw);
 */
export async function readJsonBody(request: Request): Promise<Record<string, unknown>> {
  const bytes = await readAtMost(request, MAX_BODY_BYTES);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new InputError(400, "the body is not UTF-8 text");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError(400, "the body is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InputError(400, "the body must be a JSON object");
  return value as Record<string, unknown>;
}

/**
 * The body's bytes, refusing (413) once it passes `limit`, whatever content-length claimed. The rest of an oversized body
 * is read and dropped (up to {@link DRAIN_BYTES}) before answering: under wrangler dev, a response sent while the client is
 * still uploading broke the connection, and the next request to the Worker got a 503 "restarted mid-request".
 */
async function readAtMost(request: Request, limit: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > DRAIN_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    if (size <= limit) chunks.push(value);
  }
  if (size > limit) throw tooLarge();
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Past this much an oversized body is cut off rather than drained. */
const DRAIN_BYTES = 32 * 1024 * 1024;

function tooLarge(): InputError {
  return new InputError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
}

/**
 * `{file, code}` checked.
 * @example transpileInput({ file: "App.tsx", code: "export {}" })
 */
export function transpileInput(body: Record<string, unknown>): TranspileInput {
  const { file, code } = body;
  if (typeof file !== "string" || !isValidFileName(file)) throw new InputError(400, `invalid file name ${JSON.stringify(file)}`);
  if (typeof code !== "string") throw new InputError(400, "code must be a string");
  return { file, code };
}

/**
 * `{files, entry, imports?, importFallback?}` checked: valid names, string texts, the entry among the files.
 * @example bundleInput({ files: { "index.tsx": "export {}" }, entry: "index.tsx" })
 */
export function bundleInput(body: Record<string, unknown>): BundleInput {
  const { files, entry, imports, importFallback } = body;
  if (!isPlainObject(files)) throw new InputError(400, "files must be an object of file name -> text");
  const names = Object.keys(files);
  if (names.length === 0) throw new InputError(400, "files is empty");
  if (names.length > MAX_FILES) throw new InputError(413, `more than ${MAX_FILES} files`);
  for (const name of names) {
    if (!isValidFileName(name)) throw new InputError(400, `invalid file name ${JSON.stringify(name)}`);
    if (typeof files[name] !== "string") throw new InputError(400, `the text of ${JSON.stringify(name)} must be a string`);
  }
  if (typeof entry !== "string" || !isValidFileName(entry)) throw new InputError(400, `invalid entry ${JSON.stringify(entry)}`);
  if (!Object.hasOwn(files, entry)) throw new InputError(400, `the entry ${JSON.stringify(entry)} is not among the files`);
  const input: BundleInput = { files: files as Record<string, string>, entry };
  if (imports !== undefined) {
    if (!isPlainObject(imports)) throw new InputError(400, "imports must be an object of specifier -> URL");
    const entries = Object.entries(imports);
    if (entries.length > MAX_IMPORTS) throw new InputError(413, `more than ${MAX_IMPORTS} imports`);
    for (const [specifier, url] of entries) {
      if (!specifier || typeof url !== "string" || !url) throw new InputError(400, `imports[${JSON.stringify(specifier)}] must be a URL string`);
    }
    input.imports = imports as Record<string, string>;
  }
  if (importFallback !== undefined) {
    if (typeof importFallback !== "string" || !importFallback) throw new InputError(400, "importFallback must be a URL prefix");
    input.importFallback = importFallback;
  }
  return input;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
