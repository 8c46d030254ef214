"use client";

import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { useStore } from "zustand";
import { createPlaygroundStore, type PlaygroundStore, type PlaygroundStoreApi } from "./playground-store";

const PlaygroundStoreContext = createContext<PlaygroundStoreApi | null>(null);

export function PlaygroundStoreProvider({
  children,
  store,
}: {
  children: ReactNode;
  store?: PlaygroundStoreApi;
}) {
  const [api] = useState(() => store ?? createPlaygroundStore());
  useEffect(() => {
    void api.persist.rehydrate();
  }, [api]);
  return <PlaygroundStoreContext.Provider value={api}>{children}</PlaygroundStoreContext.Provider>;
}

export function usePlaygroundStore<T>(selector: (state: PlaygroundStore) => T): T {
  const api = useContext(PlaygroundStoreContext);
  if (!api) throw new Error("usePlaygroundStore must be used inside <PlaygroundStoreProvider>");
  return useStore(api, selector);
}
