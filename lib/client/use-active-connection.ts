"use client";

import { useMemo, useSyncExternalStore } from "react";
import { useQuery } from "@tanstack/react-query";
import {
  connectionsInfoQuery,
  pickConnection,
  type PlaygroundConnection,
  type UserConnectionsInfo,
} from "./connections";
import { getPlaygroundClient } from "./sdk";
import { usePlaygroundStore } from "./stores/playground-store-provider";
import type { ClientScope } from "./queries/scope";
import { toPlaygroundError, type PlaygroundError } from "./errors";
import { toPlaygroundConnection, userConnectionStore } from "./user-connections";

export interface ActiveConnection {
  /** The server's connections, plus the one typed in here when the server allows it. */
  connections: PlaygroundConnection[];
  /** The connection in use; its `apiVersion` is the one chosen in the header (else its default). */
  connection: PlaygroundConnection | null;
  /** null until the connection list has loaded. */
  scope: ClientScope | null;
  isLoading: boolean;
  error: PlaygroundError | null;
  userConnections: UserConnectionsInfo;
}

const NO_USER_CONNECTIONS: UserConnectionsInfo = { enabled: false, hosts: [] };

/** The api-version to use on `connection`: the chosen one when the connection offers it. */
export function effectiveApiVersion(connection: PlaygroundConnection, chosen: string | undefined): string {
  return chosen && connection.apiVersions.includes(chosen) ? chosen : connection.apiVersion;
}

export function useUserConnectionSettings() {
  return useSyncExternalStore(
    userConnectionStore.subscribe,
    userConnectionStore.get,
    userConnectionStore.getServerSnapshot,
  );
}

export function useActiveConnection(): ActiveConnection {
  const query = useQuery(connectionsInfoQuery);
  const chosen = usePlaygroundStore((s) => s.connectionName);
  const versions = usePlaygroundStore((s) => s.apiVersionByConnection);
  const user = useUserConnectionSettings();
  const userConnections = query.data?.userConnections ?? NO_USER_CONNECTIONS;
  const connections = useMemo(() => {
    const list = query.data?.connections ?? [];
    return userConnections.enabled && user ? [...list, toPlaygroundConnection(user)] : list;
  }, [query.data, userConnections.enabled, user]);
  const picked = pickConnection(connections, chosen);
  const apiVersion = picked ? effectiveApiVersion(picked, versions[picked.name]) : undefined;
  const connection = useMemo(
    () => (picked && apiVersion ? { ...picked, apiVersion } : null),
    [picked, apiVersion],
  );
  const name = connection?.name;
  const scope = useMemo<ClientScope | null>(() => {
    if (name === undefined || apiVersion === undefined) return null;
    const ref = { name, apiVersion };
    return { client: getPlaygroundClient(ref), connection: ref };
  }, [name, apiVersion]);
  const isLoading = query.isLoading;
  const error = useMemo(() => (query.error ? toPlaygroundError(query.error) : null), [query.error]);
  // The same object while nothing in it changes (the header is memoised on it).
  return useMemo(
    () => ({ connections, connection, scope, isLoading, error, userConnections }),
    [connections, connection, scope, isLoading, error, userConnections],
  );
}
