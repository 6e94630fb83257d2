/**
 * JSON files as ES modules that `export default` their value and, as esbuild and Vite do, export each top-level key of an
 * object by name; invalid JSON becomes a BuildError at the right place.
 */
import { lineColumnAt, type BuildError } from "./types.js";

/** A string that is not well-formed UTF-16 (a lone surrogate) cannot be a module export name. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The module code for JSON file `file`, or the error that makes it invalid. The value is rebuilt with JSON.parse at run
 * time rather than inlined as a literal, because a literal `"__proto__"` key would set the object's prototype.
 * @example jsonModuleCode("data.json", '{"a": 1}') // { code: 'const data = JSON.parse("{\\"a\\": 1}");\nexport default data;\n…' }
 */
export function jsonModuleCode(
  file: string,
  source: string,
): { code: string; error?: undefined } | { code?: undefined; error: BuildError } {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (err) {
    return { error: jsonError(file, source, err) };
  }
  let code = `const data = JSON.parse(${JSON.stringify(source)});\nexport default data;\n`;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    // String export names (ES2022) carry any key, `"b-c"` and `"class"` included; `default` is the value itself.
    const names = Object.keys(value).filter((key) => key !== "default" && !LONE_SURROGATE.test(key));
    names.forEach((key, i) => (code += `const key${i} = data[${JSON.stringify(key)}];\n`));
    if (names.length > 0) code += `export { ${names.map((key, i) => `key${i} as ${JSON.stringify(key)}`).join(", ")} };\n`;
  }
  return { code };
}

function jsonError(file: string, source: string, err: unknown): BuildError {
  const message = err instanceof Error ? err.message : String(err);
  // V8 says "… at position 12", Firefox "… at line 3 column 1 of the JSON data"; anything else falls back to 1:0.
  const position = /at position (\d+)/.exec(message);
  const lineColumn = /at line (\d+) column (\d+)/.exec(message);
  const { line, column } = position
    ? lineColumnAt(source, Number(position[1]))
    : lineColumn
      ? { line: Number(lineColumn[1]), column: Number(lineColumn[2]) - 1 }
      : { line: 1, column: 0 };
  const clean = message.replace(/ in JSON at position \d+.*$/, "").replace(/ at line \d+ column \d+.*$/, "").trim();
  return { file, line, column, message: clean };
}
