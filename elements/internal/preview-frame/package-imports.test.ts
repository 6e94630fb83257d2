import assert from "node:assert/strict";
import { test } from "node:test";
import { MissingPackageError, PackageImports, isBareSpecifier } from "./package-imports.js";

/** A fake server: importmap.json, one upstream package, a JSON 404 for the rest. Records requests. */
function fakeServer(base = "http://spike.test") {
  const requests: string[] = [];
  const fetchImpl = (async (input: string | URL | Request) => {
    const url = String(input);
    requests.push(url);
    if (url.endsWith("/npm/importmap.json")) {
      return Response.json({ imports: { react: "/npm/react@19.3.1/index.js", "lib/": "/npm/lib@1.0.0/" } });
    }
    if (url.endsWith("/npm/lodash-es")) return new Response("export default 1;", { status: 200 });
    return Response.json({ error: `package "${url.split("/npm/")[1]}" is not in the offline set` }, { status: 404 });
  }) as typeof fetch;
  const maps: unknown[] = [];
  return { requests, maps, packages: new PackageImports(base, (map) => maps.push(map), fetchImpl) };
}

test("the offline set goes in first, with absolute URLs; specifiers it covers need no request", async () => {
  const { requests, maps, packages } = fakeServer();
  await packages.ensure(["react", "lib/deep/path"]);
  assert.deepEqual(maps, [{ imports: { react: "http://spike.test/npm/react@19.3.1/index.js", "lib/": "http://spike.test/npm/lib@1.0.0/" } }]);
  assert.deepEqual(requests, ["http://spike.test/npm/importmap.json"]);
});

test("from a copy of the CDN build in a folder, the offline set and other specifiers resolve under that folder", async () => {
  const base = "https://cdn.example/npm/spike@0.1.0/dist/cdn";
  const { requests, maps, packages } = fakeServer(base);
  await packages.ensure(["react", "lodash-es"]);
  assert.deepEqual(maps[0], { imports: { react: `${base}/npm/react@19.3.1/index.js`, "lib/": `${base}/npm/lib@1.0.0/` } });
  assert.deepEqual(maps.at(-1), { imports: { "lodash-es": `${base}/npm/lodash-es` } });
  assert.deepEqual(requests, [`${base}/npm/importmap.json`, `${base}/npm/lodash-es`]);
});

test("an unknown specifier is preflighted once and mapped to /npm/<specifier>", async () => {
  const { requests, maps, packages } = fakeServer();
  await packages.ensure(["lodash-es"]);
  await packages.ensure(["lodash-es", "react"]);
  assert.deepEqual(maps.at(-1), { imports: { "lodash-es": "http://spike.test/npm/lodash-es" } });
  assert.equal(requests.filter((url) => url.endsWith("/npm/lodash-es")).length, 1);
});

test("a package the server lacks rejects with the server's message", async () => {
  const { packages } = fakeServer();
  await assert.rejects(packages.ensure(["left-pad-nope"]), (error: unknown) => {
    assert.ok(error instanceof MissingPackageError);
    assert.equal(error.specifier, "left-pad-nope");
    assert.equal(error.message, 'package "left-pad-nope" is not in the offline set');
    return true;
  });
});

test("isBareSpecifier", () => {
  for (const s of ["react", "react-dom/client", "@scope/pkg", "lodash-es/debounce"]) assert.equal(isBareSpecifier(s), true, s);
  for (const s of ["./a", "../b", "/@project/a.ts", "https://esm.sh/x", "blob:http://x/1"]) assert.equal(isBareSpecifier(s), false, s);
});

test("an offline set seeded from the host is not fetched, and a seed after the set was asked for is refused", async () => {
  const { requests, maps, packages } = fakeServer();
  assert.equal(packages.seed({ react: "blob:react" }), true);
  await packages.ensure(["react"]);
  assert.deepEqual(requests, []);
  assert.deepEqual(maps, [{ imports: { react: "blob:react" } }]);

  const late = fakeServer();
  await late.packages.offline();
  assert.equal(late.packages.seed({ react: "blob:react" }), false);
  assert.equal(late.maps.length, 1);
});
