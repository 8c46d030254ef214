"use client";

import { useState, type ReactNode } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { PlaygroundStoreProvider } from "@/lib/client/stores/playground-store-provider";

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          // The SDK already retries reads; one more round from React Query covers a blip, not an outage.
          queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 10_000 },
          mutations: { retry: 0 },
        },
      }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <PlaygroundStoreProvider>{children}</PlaygroundStoreProvider>
    </QueryClientProvider>
  );
}
