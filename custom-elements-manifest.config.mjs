// Custom Elements Manifest from the elements' JSDoc (`npm run manifest`). package.json's `customElements` field is set
// by hand, so the analyzer must not rewrite package.json (the freshness test writes to a temporary folder).
export default {
  globs: ["elements/spike-*.ts"],
  exclude: ["elements/**/*.test.ts", "elements/**/*-test.ts"],
  litelement: true,
  packagejson: false,
};
