/**
 * The file types each tool accepts, by extension: Azure's lists (the Assistants documentation's
 * "Supported file types"). The browser checks uploads against them; the local engine reads more
 * text formats than these (lib/engine/extract/index.ts).
 */

export const CODE_INTERPRETER_EXTENSIONS = [
  "c",
  "cpp",
  "csv",
  "docx",
  "html",
  "java",
  "json",
  "md",
  "pdf",
  "php",
  "pptx",
  "py",
  "rb",
  "tex",
  "txt",
  "css",
  "jpeg",
  "jpg",
  "js",
  "gif",
  "png",
  "tar",
  "ts",
  "xlsx",
  "xml",
  "zip",
] as const;

export const FILE_SEARCH_EXTENSIONS = [
  "c",
  "cs",
  "cpp",
  "doc",
  "docx",
  "html",
  "java",
  "json",
  "md",
  "pdf",
  "php",
  "pptx",
  "py",
  "rb",
  "tex",
  "txt",
  "css",
  "js",
  "sh",
  "ts",
] as const;

/** Images a message can show (purpose `vision`). */
export const IMAGE_EXTENSIONS = ["png", "jpg", "jpeg", "gif", "webp"] as const;
