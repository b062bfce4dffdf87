declare function stylesheetLoader(this: { resourcePath: string }, source: string): string;
declare namespace stylesheetLoader {
  /** The stylesheet's source as the minified CSS text the pages carry. */
  function compileStylesheet(source: string, filename: string): string;
}
export = stylesheetLoader;
