/** JSON files as ES modules that `export default` their value; invalid JSON becomes a BuildError at the right place. */
import { lineColumnAt, type BuildError } from "./types.js";

/**
 * The module code for JSON file `file`, or the error that makes it invalid. The value is rebuilt with JSON.parse at run
 * time rather than inlined as a literal, because a literal `"__proto__"` key would set the object's prototype.
 * @example jsonModuleCode("data.json", '{"a": 1}') // { code: 'export default JSON.parse("{\\"a\\": 1}");\n' }
 */
export function jsonModuleCode(
  file: string,
  source: string,
): { code: string; error?: undefined } | { code?: undefined; error: BuildError } {
  try {
    JSON.parse(source);
  } catch (err) {
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
    return { error: { file, line, column, message: clean } };
  }
  return { code: `export default JSON.parse(${JSON.stringify(source)});\n` };
}
