// The portal's stylesheet as minified CSS text, for the one place that writes it into the page
// (app/inline-stylesheet.tsx, which imports app/globals.css with `?inline`; the rule is in
// next.config.ts). A webpack-style loader in CommonJS: that is what Turbopack runs.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- Turbopack loads loaders with require()
const { transform } = require("lightningcss");

// The browsers Next.js 16 compiles for by default (Chrome, Edge and Firefox 111, Safari 16.4), as
// lightningcss writes versions: major << 16 | minor << 8.
const TARGETS = { chrome: 111 << 16, edge: 111 << 16, firefox: 111 << 16, safari: (16 << 16) | (4 << 8), ios_saf: (16 << 16) | (4 << 8) };

/** @param {string} source @param {string} filename @returns {string} */
function compileStylesheet(source, filename) {
  return transform({ filename, code: Buffer.from(source), minify: true, targets: TARGETS }).code.toString();
}

/** @this {{ resourcePath: string }} @param {string} source */
module.exports = function stylesheetLoader(source) {
  return compileStylesheet(source, this.resourcePath);
};
module.exports.compileStylesheet = compileStylesheet;
