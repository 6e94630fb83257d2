/** The refresh transform: which top-level functions get registered, with what id and hook signature, lines kept. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { transpileFile } from "./transpile.js";

function build(file: string, source: string, refresh = true): string {
  const outcome = transpileFile(file, source, { refresh });
  assert.equal(outcome.error, undefined, JSON.stringify(outcome.error));
  return outcome.transpiled!.code;
}

/**
 * Runs a built module with a registry that records each call and returns a marker wrapping the implementation. The
 * components are never called, so the module's imports (React, which a data: URL module could not resolve) are dropped.
 */
async function registrations(code: string): Promise<{ calls: [string, string][]; namespace: Record<string, any> }> {
  const calls: [string, string][] = [];
  (globalThis as any).__spikeRefresh = {
    register: (impl: unknown, id: string, signature: string) => (calls.push([id, signature]), { registered: impl }),
  };
  try {
    const runnable = code.replace(/import\s*\{[^}]*\}\s*from\s*"[^"]*";/g, "");
    const namespace = await import("data:text/javascript;charset=utf-8," + encodeURIComponent(runnable));
    return { calls, namespace };
  } finally {
    delete (globalThis as any).__spikeRefresh;
  }
}

test("top-level components are registered by file and name with their hook signature; other bindings are left alone", async () => {
  const source = [
    'import { useState, useEffect } from "react";',
    "export default function Counter() {",
    "  const [n, setN] = useState(0);",
    "  useEffect(() => { document.title = String(n); });",
    "  return <button onClick={() => setN(n + 1)}>{n}</button>;",
    "}",
    "export const Label = ({ text }: { text: string }) => <b>{text}</b>;",
    "let Plain = function () { return <i />; };",
    "const helper = () => 1;",
    "export const CONFIG = { a: 1 };",
    "function* Gen() {}",
    "class Old {}",
  ].join("\n");
  const code = build("App.tsx", source);
  assert.equal(code.split("\n").length, source.split("\n").length, "no line added");
  const { calls, namespace } = await registrations(code);
  assert.deepEqual(calls, [
    ["App.tsx Counter", "useState,useEffect"],
    ["App.tsx Label", ""],
    ["App.tsx Plain", ""],
  ]);
  // The bindings (and so the exports, live bindings of a declaration too) are what the registry returned.
  assert.equal(typeof namespace.default.registered, "function");
  assert.equal(typeof namespace.Label.registered, "function");
  assert.deepEqual(namespace.CONFIG, { a: 1 });
});

test("a component's signature includes the hooks inside the file's own custom hooks, and not those of nested functions", async () => {
  const code = build(
    "Form.tsx",
    `import { useState, useRef, useMemo } from "react";
     function useField(initial: string) { const [v, setV] = useState(initial); const r = useRef(null); return { v, setV, r }; }
     const useTwice = () => { useField("a"); return useField("b"); };
     export function Form() {
       const name = useTwice();
       const onClick = () => { useMemo(() => 1, []); };
       return <form onClick={onClick}>{name.v}</form>;
     }`,
  );
  const { calls } = await registrations(code);
  assert.deepEqual(calls, [["Form.tsx Form", "useTwice{useField{useState,useRef},useField{useState,useRef}}"]]);
});

test("without the refresh option nothing is registered; a file with no component is unchanged by it", () => {
  const source = "export function App() { return <p />; }";
  assert.doesNotMatch(build("App.tsx", source, false), /__spikeRefresh/);
  const plain = "export const add = (a: number, b: number) => a + b;";
  assert.equal(build("math.ts", plain, true), build("math.ts", plain, false));
});

test("registration composes with loop guards and keeps import spans right", async () => {
  const source = `import { useState } from "react";
export function List() { const [items] = useState([1, 2]); const out = []; for (const i of items) out.push(<li key={i}>{i}</li>); return <ul>{out}</ul>; }`;
  const outcome = transpileFile("List.tsx", source, { refresh: true });
  const { code, imports } = outcome.transpiled!;
  for (const site of imports) assert.equal(code.slice(site.start, site.end), JSON.stringify(site.specifier));
  const { calls } = await registrations(code);
  assert.deepEqual(calls, [["List.tsx List", "useState"]]);
});
