export { requestLog, createRequestLog, MAX_ENTRIES, MAX_BODY_CHARS } from "./store";
export type { RequestLog, RequestLogEntry, LoggedBody, SseEvent, MultipartPart } from "./store";
export { withRequestLog, recordInto, recordManually } from "./record";
export { toHar, toJsonExport, sseText } from "./export";
export { filterEntries, EMPTY_FILTER, type RequestLogFilter, type StatusFilter } from "./filter";
