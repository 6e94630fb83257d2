/**
 * esbuild's diagnostics as the structured errors clients get with a 422: `{ file, line, column, message }`, line 1-based,
 * column 0-based in UTF-16 code units (what editors count; esbuild counts UTF-8 bytes).
 */
import type { BuildError } from "../../core/build/types.js";
import type { Message } from "./esbuild.js";

export type { BuildError };

/** A build or transform failed because of the code it was given (as opposed to a bug in the transpiler). */
export function isBuildFailure(error: unknown): error is { errors: Message[] } {
  return typeof error === "object" && error !== null && Array.isArray((error as { errors?: unknown }).errors);
}

/**
 * Structured errors from esbuild messages; `fallbackFile` names the file when esbuild gives no location.
 * @example toBuildErrors(failure.errors, "index.tsx") // [{ file: "index.tsx", line: 3, column: 9, message: "Expected \";\" but found \"x\"" }]
 */
export function toBuildErrors(messages: readonly Message[], fallbackFile: string): BuildError[] {
  return messages.map((message) => {
    const location = message.location;
    if (!location) return { file: fallbackFile, line: 1, column: 0, message: message.text };
    return {
      file: projectPath(location.file) || fallbackFile,
      line: location.line,
      column: utf16Column(location.lineText, location.column),
      message: message.text,
    };
  });
}

/** esbuild names files outside the `file` namespace `namespace:path`; clients want the project file name. */
function projectPath(file: string): string {
  return file.replace(/^project:/, "");
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A UTF-8 byte offset into `lineText` as a UTF-16 offset. */
function utf16Column(lineText: string, byteColumn: number): number {
  if (!lineText) return byteColumn;
  return decoder.decode(encoder.encode(lineText).slice(0, byteColumn)).length;
}
