/** core/build: a TypeScript/JSX/CSS/JSON project to browser ES modules, incrementally, with guarded loops (contract C1). */
export { ProjectBuilder, entryErrors, type ProjectBuilderOptions } from "./project-builder.js";
export { moduleVersions } from "./versions.js";
export { transpileFile, type TranspileOptions, type TranspileOutcome } from "./transpile.js";
export { linkModule } from "./imports.js";
export {
  PROJECT_PREFIX,
  RESOLVE_EXTENSIONS,
  resolveImport,
  resolveSpecifier,
  specifierKind,
  type ResolvedImport,
  type SpecifierKind,
} from "./resolve.js";
export { assetModuleCode, fileKindOf, type FileKind } from "./file-kinds.js";
export { DEFAULT_LOOP_BUDGET_MS } from "./loop-guard.js";
export { REFRESH_GLOBAL, refreshInsertions } from "./refresh.js";
export { isCssModule, scopeClassNames } from "./css.js";
export { hashText } from "./hash.js";
export {
  lineColumnAt,
  type BuildError,
  type BuildResult,
  type BuiltModule,
  type ImportSite,
  type TranspiledFile,
} from "./types.js";
