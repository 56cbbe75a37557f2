export { contractToAsyncApi, formatAsyncApiYaml } from "./export.js";
export { importAsyncApi } from "./import.js";
