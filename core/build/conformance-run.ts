/**
 * Running a conformance case's output (core/build/conformance.ts) and judging it, the same way for the page build and
 * for the transpiler Worker's bundle: the code runs with a `trace` global and just enough `document` for CSS modules, and
 * what it traced and which styles it applied make its outcome. Pure: the caller does the importing.
 */
import type { BuildError } from "./types.js";

/** A `<style data-spike-file>` in the document's head after the run, its text trimmed (the Worker minifies CSS). */
export interface AppliedStyle {
  file: string;
  css: string;
}

/** What building and running a case gave. */
export type Outcome =
  | { ran: { log: string[]; styles: AppliedStyle[] } }
  | { errors: BuildError[] }
  | { threw: string };

/** What a case must give: an Outcome, with a pattern for the message of a run that throws (engines word it their way). */
export type Expectation = Exclude<Outcome, { threw: string }> | { threw: RegExp };

interface FakeStyle {
  attributes: Record<string, string>;
  textContent: string;
}

/** The `document` of a run: only what core/build/css.ts's module code calls, so a new call fails loudly here. */
function fakeDocument(head: FakeStyle[]) {
  return {
    head: {
      querySelector(selector: string): FakeStyle | null {
        const value = /^style\[data-spike-file=("(?:[^"\\]|\\.)*")\]$/.exec(selector)?.[1];
        if (value === undefined) throw new Error(`the conformance document does not understand the selector ${selector}`);
        return head.find((style) => JSON.stringify(style.attributes["data-spike-file"]) === value) ?? null;
      },
      appendChild(style: FakeStyle): FakeStyle {
        head.push(style);
        return style;
      },
    },
    createElement(tag: string): FakeStyle {
      if (tag !== "style") throw new Error(`the conformance document creates only <style>, not <${tag}>`);
      return {
        attributes: {},
        textContent: "",
        setAttribute(name: string, value: string) {
          this.attributes[name] = value;
        },
      } as FakeStyle;
    },
  };
}

/**
 * Runs `load` (which imports the built entry) with `trace(value)` and a document installed as globals, and returns
 * the outcome. A throw while loading is the outcome too.
 * @example const outcome = await observe(() => import(entryUrl));
 */
export async function observe(load: () => Promise<unknown>): Promise<Outcome> {
  const log: string[] = [];
  const head: FakeStyle[] = [];
  const globals = globalThis as Record<string, unknown>;
  globals.trace = (value: unknown) => log.push(String(value));
  globals.document = fakeDocument(head);
  try {
    await load();
  } catch (error) {
    return { threw: error instanceof Error ? error.message : String(error) };
  } finally {
    delete globals.trace;
    delete globals.document;
  }
  const styles = head.map((style) => ({ file: style.attributes["data-spike-file"] ?? "", css: style.textContent.trim() }));
  return { ran: { log, styles } };
}

let runs = 0;

/**
 * `code` with each external specifier (a string literal in either quote) pointing at its stand-in module instead, as a
 * data: URL made unique to this call, so that a stand-in that traces runs again in every case.
 * @example withStandIns('import "/npm/x.js";', { "/npm/x.js": 'trace("x")' }) // 'import "data:text/javascript,…";'
 */
export function withStandIns(code: string, standIns: Record<string, string> = {}): string {
  const run = ++runs;
  let out = code;
  for (const [specifier, source] of Object.entries(standIns)) {
    const url = `data:text/javascript,${encodeURIComponent(`${source}\n// run ${run}`)}`;
    for (const quote of ['"', "'"]) out = out.replaceAll(quote + specifier + quote, JSON.stringify(url));
  }
  return out;
}

/**
 * Throws, showing both, when `actual` is not what `expected` says. Errors are compared as a set.
 * @example checkOutcome({ ran: { log: ["ok"], styles: [] } }, await observe(load));
 */
export function checkOutcome(expected: Expectation, actual: Outcome): void {
  const rows = (errors: BuildError[]) =>
    JSON.stringify(errors.map((e) => [e.file, e.line, e.column, e.message]).sort((a, b) => String(a).localeCompare(String(b))));
  let same: boolean;
  if ("threw" in expected) same = "threw" in actual && expected.threw.test(actual.threw);
  else if ("errors" in expected) same = "errors" in actual && rows(actual.errors) === rows(expected.errors);
  else same = "ran" in actual && JSON.stringify(actual.ran) === JSON.stringify(expected.ran);
  if (!same) {
    const show = (value: unknown) => JSON.stringify(value, (_, v: unknown) => (v instanceof RegExp ? String(v) : v), 2);
    throw new Error(`expected ${show(expected)}\nbut got ${show(actual)}`);
  }
}
