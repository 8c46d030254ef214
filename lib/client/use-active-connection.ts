"use client";

import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { connectionsQuery, pickConnection, type PlaygroundConnection } from "./connections";
import { getPlaygroundClient } from "./sdk";
import { usePlaygroundStore } from "./stores/playground-store-provider";
import type { ClientScope } from "./queries/scope";
import { toPlaygroundError, type PlaygroundError } from "./errors";

export interface ActiveConnection {
  connections: PlaygroundConnection[];
  connection: PlaygroundConnection | null;
  /** null until the connection list has loaded. */
  scope: ClientScope | null;
  isLoading: boolean;
  error: PlaygroundError | null;
}

export function useActiveConnection(): ActiveConnection {
  const query = useQuery(connectionsQuery);
  const chosen = usePlaygroundStore((s) => s.connectionName);
  const connections = useMemo(() => query.data ?? [], [query.data]);
  const connection = pickConnection(connections, chosen);
  const name = connection?.name;
  const apiVersion = connection?.apiVersion;
  const scope = useMemo<ClientScope | null>(() => {
    if (name === undefined || apiVersion === undefined) return null;
    const ref = { name, apiVersion };
    return { client: getPlaygroundClient(ref), connection: ref };
  }, [name, apiVersion]);
  return {
    connections,
    connection,
    scope,
    isLoading: query.isLoading,
    error: query.error ? toPlaygroundError(query.error) : null,
  };
}
