"use client";

import { useQuery } from "@tanstack/react-query";
import type { FileObject } from "openai/resources/files";
import { Button } from "@/components/ui/button";
import { toolsForFile } from "@/lib/client/files/file-types";
import { fileListQuery } from "@/lib/client/queries/files/queries";
import type { ClientScope } from "@/lib/client/queries/scope";
import { FilePicker } from "./file-picker";

export type AttachmentTool = { type: "code_interpreter" } | { type: "file_search" };
/** Same shape as a message's `attachments[]` in the v2 protocol. */
export interface MessageAttachment {
  file_id: string;
  tools: AttachmentTool[];
}

export interface AttachmentPickerProps {
  scope: ClientScope | null;
  value: MessageAttachment[];
  onChange: (attachments: MessageAttachment[]) => void;
  /** Most files per message (default 10). */
  max?: number;
  label?: string;
}

function defaultTools(name: string | undefined): AttachmentTool[] {
  const t = name ? toolsForFile(name) : { codeInterpreter: true, fileSearch: false };
  return [
    ...(t.codeInterpreter ? [{ type: "code_interpreter" as const }] : []),
    ...(t.fileSearch ? [{ type: "file_search" as const }] : []),
  ];
}

/**
 * Files for a message's `attachments`, each with the tools it is for (code interpreter and/or
 * file search, preset from the file's type). Choose existing files or upload on the spot.
 */
export function AttachmentPicker({
  scope,
  value,
  onChange,
  max = 10,
  label = "Attachments",
}: AttachmentPickerProps) {
  const files = useQuery(fileListQuery(scope, null));
  const byId = new Map<string, FileObject>((files.data ?? []).map((f) => [f.id, f]));
  const ids = value.map((a) => a.file_id);

  function setIds(next: string[]) {
    onChange(
      next.map(
        (id) =>
          value.find((a) => a.file_id === id) ?? { file_id: id, tools: defaultTools(byId.get(id)?.filename) },
      ),
    );
  }

  function setTool(id: string, type: AttachmentTool["type"], on: boolean) {
    onChange(
      value.map((a) =>
        a.file_id !== id
          ? a
          : {
              ...a,
              tools: on
                ? [...a.tools.filter((t) => t.type !== type), { type }]
                : a.tools.filter((t) => t.type !== type),
            },
      ),
    );
  }

  return (
    <div className="space-y-2">
      <FilePicker scope={scope} value={ids} onChange={setIds} max={max} use="any" label={label} />
      {value.length > 0 ? (
        <ul aria-label={`${label}: tools per file`} className="space-y-1">
          {value.map((a) => {
            const name = byId.get(a.file_id)?.filename ?? a.file_id;
            const allowed = toolsForFile(name);
            const noTool = a.tools.length === 0;
            return (
              <li
                key={a.file_id}
                className="flex flex-wrap items-center gap-3 rounded border border-slate-200 bg-white px-2 py-1 text-sm"
              >
                <span className="min-w-0 flex-1 truncate font-medium">{name}</span>
                {(["code_interpreter", "file_search"] as const).map((type) => {
                  const ok = type === "code_interpreter" ? allowed.codeInterpreter : allowed.fileSearch;
                  const text = type === "code_interpreter" ? "Code interpreter" : "File search";
                  return (
                    <label key={type} className={`flex items-center gap-1 ${ok ? "" : "text-slate-500"}`}>
                      <input
                        type="checkbox"
                        className="size-4 accent-indigo-600"
                        checked={a.tools.some((t) => t.type === type)}
                        disabled={!ok && !a.tools.some((t) => t.type === type)}
                        onChange={(e) => setTool(a.file_id, type, e.target.checked)}
                        aria-label={`${text} for ${name}`}
                      />
                      {text}
                    </label>
                  );
                })}
                <Button
                  variant="ghost"
                  onClick={() => setIds(ids.filter((x) => x !== a.file_id))}
                  aria-label={`Remove ${name}`}
                >
                  Remove
                </Button>
                {noTool ? (
                  <p role="alert" className="w-full text-xs text-red-800">
                    Choose at least one tool for this file, or remove it.
                  </p>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
