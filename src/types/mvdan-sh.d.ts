// mvdan-sh ships no types; src/analyzers/shell-parse.ts types the small part it uses.
declare module "mvdan-sh" {
  const sh: unknown;
  export default sh;
}
