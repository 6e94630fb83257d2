// Custom Elements Manifest from the elements' JSDoc (`npm run manifest`). package.json's `customElements` field is set
// by hand, so the analyzer must not rewrite package.json (the freshness test writes to a temporary folder).
export default {
  // The shared base is analysed too, so each element lists the properties it inherits from it.
  globs: ["elements/spike-*.ts", "elements/internal/room-element.ts"],
  exclude: ["elements/**/*.test.ts", "elements/**/*-test.ts"],
  litelement: true,
  packagejson: false,
};
