// The api-versions live in lib/protocol, shared with the server and the browser.
export {
  API_VERSIONS,
  DEFAULT_API_VERSION,
  ENGINE_API_VERSIONS,
  FOUNDRY_API_VERSIONS,
  generationOf,
  surfaceOf,
  type Surface,
} from "../protocol/api-versions";
