/**
 * The lazily loaded half of <spike-editor>: Monaco's editor with its standard features, the TypeScript language only
 * (tokenizer + language service client), y-monaco, and Monaco's CSS. Only ever loaded through monaco-loader.ts's import().
 */
import "monaco-editor/features/register.all";
import "monaco-editor/languages/definitions/typescript/register";

export * as monaco from "monaco-editor/editor/editor.api";
export * as typescript from "monaco-editor/languages/features/typescript/register";
export { MonacoBinding } from "y-monaco";
export { monacoStyles } from "./monaco-styles.js";
