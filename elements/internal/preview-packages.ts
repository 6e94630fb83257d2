/**
 * The offline npm set's import map and React, fetched by the host page for a preview frame with an opaque origin: such a
 * frame gets no HTTP cache in Chromium (it would download React on every visit), the host page does. The frame takes
 * them from the first update (FramePackages, elements/internal/preview-frame/host-packages.ts).
 */
import { REACT_MODULES, type FramePackages } from "./preview-frame/messages.js";

/** One fetch per npm base and page, shared by every preview on it. */
const fetched = new Map<string, Promise<FramePackages | null>>();

/**
 * importmap.json and the modules of {@link REACT_MODULES} under `npmBase` (a server's origin or the bundle's folder);
 * null when any of it cannot be fetched (the frame then fetches the set itself, as a frame without `packages=host` does).
 * @example const packages = await framePackages("https://cdn.example/spike/dist/cdn");
 */
export function framePackages(npmBase: string): Promise<FramePackages | null> {
  let packages = fetched.get(npmBase);
  if (!packages) {
    packages = fetchPackages(npmBase).catch(() => null);
    fetched.set(npmBase, packages);
  }
  return packages;
}

async function fetchPackages(npmBase: string): Promise<FramePackages | null> {
  const text = async (url: string) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return response.text();
  };
  const map = JSON.parse(await text(`${npmBase}/npm/importmap.json`)) as { imports?: Record<string, unknown> };
  const imports = Object.fromEntries(Object.entries(map.imports ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  // The set's modules sit under /npm/ (the frame reads other paths against the map's URL; the host passes only these).
  const paths = REACT_MODULES.map((specifier) => imports[specifier]).filter((path): path is string => !!path?.startsWith("/npm/"));
  if (paths.length === 0) return null;
  const sources = await Promise.all(paths.map((path) => text(`${npmBase}${path}`)));
  return { imports, modules: Object.fromEntries(paths.map((path, i) => [path, sources[i]!])) };
}
