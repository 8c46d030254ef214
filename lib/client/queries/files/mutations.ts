import type { QueryClient } from "@tanstack/react-query";
import type { FileObject } from "openai/resources/files";
import type { ClientScope } from "../scope";
import { fileKeys } from "./queries";

export async function deleteFile({ client }: ClientScope, id: string) {
  return client.files.delete(id);
}

/** Any write: every api-version's view of the connection's files reads again. */
export function invalidateFiles(queryClient: QueryClient, connection: string) {
  return queryClient.invalidateQueries({ queryKey: fileKeys.connection(connection) });
}

/** A file just uploaded, known at once to every list it belongs in (pickers read names and types from them). */
export function onFileUploaded(queryClient: QueryClient, { connection }: ClientScope, created: FileObject) {
  queryClient.setQueriesData<FileObject[]>(
    {
      queryKey: fileKeys.lists(connection),
      predicate: (q) => {
        const purpose = q.queryKey.at(-1);
        return purpose === "all" || purpose === created.purpose;
      },
    },
    (old) => (old ? [created, ...old.filter((f) => f.id !== created.id)] : old),
  );
  return invalidateFiles(queryClient, connection.name);
}
