/**
 * Sources on the gallery's app pages, filled in at load: each `<pre data-app-source="react">` gets that framework app's
 * files (apps/sources.json, written by scripts/build-gallery-apps.mjs with the apps), each `<pre data-source-url="/x">`
 * the text of that file, and each `[data-this-origin]` this server's origin (for commands to copy).
 */
for (const node of document.querySelectorAll("[data-this-origin]")) node.textContent = location.origin;

const appSources = document.querySelectorAll("pre[data-app-source]");
if (appSources.length) {
  show(appSources, async () => {
    const response = await fetch("/apps/sources.json");
    if (!response.ok) throw new Error(`/apps/sources.json: ${response.status} (build the apps: npm run build)`);
    const sources = await response.json();
    return (pre) =>
      Object.entries(sources[pre.dataset.appSource] ?? {})
        .map(([file, text]) => `// ${file}\n${text.trimEnd()}`)
        .join("\n\n");
  });
}

const fileSources = document.querySelectorAll("pre[data-source-url]");
if (fileSources.length) {
  show(fileSources, async () => {
    const texts = new Map();
    for (const pre of fileSources) {
      const response = await fetch(pre.dataset.sourceUrl);
      if (!response.ok) throw new Error(`${pre.dataset.sourceUrl}: ${response.status}`);
      texts.set(pre, await response.text());
    }
    return (pre) => texts.get(pre);
  });
}

/** Fill `pres` with what `load` resolves to; on failure each says why, so a missing build is visible, not blank. */
async function show(pres, load) {
  try {
    const text = await load();
    for (const pre of pres) pre.textContent = text(pre);
  } catch (error) {
    for (const pre of pres) pre.textContent = `Could not load the source: ${error.message}`;
  }
}
