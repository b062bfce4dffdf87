// A stylesheet imported with `?inline` is its minified text (the rule in next.config.ts).
declare module "*.css?inline" {
  const text: string;
  export default text;
}
