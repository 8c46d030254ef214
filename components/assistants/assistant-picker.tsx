"use client";

import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { Assistant } from "openai/resources/beta/assistants";
import { assistantDetailQuery, assistantPagesQuery } from "@/lib/client/queries/assistants/queries";
import type { ClientScope } from "@/lib/client/queries/scope";

/** Matches shown before the next server page is asked for while searching. */
const ENOUGH_MATCHES = 8;
const ID = /^asst_[A-Za-z0-9]+$/;

export function assistantLabel(a: Pick<Assistant, "id" | "name">): string {
  return `${a.name || "(unnamed)"} · ${a.id}`;
}

/**
 * The setup panel's assistant picker: a combobox (ARIA 1.2, list autocomplete) over every assistant
 * of the connection. Pages of 50 come from the server as they are needed (scrolling the list to its
 * end, or a search that has too few matches among those loaded, asks for the next `after` cursor);
 * typing filters by name or id, and an exact asst_ id not loaded yet is fetched directly.
 */
export function AssistantPicker({
  scope,
  selected,
  disabled = false,
  onChoose,
}: {
  scope: ClientScope | null;
  /** The chosen assistant (null: none, a new one is being built). */
  selected: Assistant | null;
  disabled?: boolean;
  onChoose: (id: string) => void;
}) {
  const id = useId();
  const listId = `${id}-list`;
  const [open, setOpen] = useState(false);
  const [text, setText] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const list = useRef<HTMLUListElement>(null);
  const query = (text ?? "").trim();
  const q = query.toLowerCase();

  const pages = useInfiniteQuery({ ...assistantPagesQuery(scope, "desc"), enabled: open });
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages;
  const loaded = useMemo(() => pages.data?.pages.flatMap((p) => p.data) ?? [], [pages.data]);
  const idLookup = ID.test(query) && !loaded.some((a) => a.id === query) ? query : null;
  const lookup = useQuery({ ...assistantDetailQuery(scope, idLookup), retry: false });
  const matches = useMemo(() => {
    const found = q
      ? loaded.filter((a) => a.id.toLowerCase().includes(q) || (a.name ?? "").toLowerCase().includes(q))
      : loaded;
    if (lookup.data && idLookup) return [lookup.data, ...found];
    // An exact id or name first (asst_n3 before asst_n39).
    const exact = found.filter((a) => a.id.toLowerCase() === q || (a.name ?? "").toLowerCase() === q);
    return exact.length ? [...exact, ...found.filter((a) => !exact.includes(a))] : found;
  }, [loaded, q, lookup.data, idLookup]);

  // A search with few matches among the loaded pages reads on, page by page, to the end.
  useEffect(() => {
    if (open && q && matches.length < ENOUGH_MATCHES && hasNextPage && !isFetchingNextPage)
      void fetchNextPage();
  }, [open, q, matches.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const activeIndex = Math.min(active, Math.max(matches.length - 1, 0));
  const activeOption = open && matches[activeIndex] ? `${id}-opt-${matches[activeIndex].id}` : undefined;
  useEffect(() => {
    if (activeOption) document.getElementById(activeOption)?.scrollIntoView({ block: "nearest" });
  }, [activeOption]);

  function choose(a: Assistant) {
    setOpen(false);
    setText(null);
    if (a.id !== selected?.id) onChoose(a.id);
  }

  function close() {
    setOpen(false);
    setText(null);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) {
        setOpen(true);
        setActive(e.key === "ArrowDown" ? 0 : Math.max(matches.length - 1, 0));
        return;
      }
      if (e.altKey && e.key === "ArrowUp") return close();
      const next = activeIndex + (e.key === "ArrowDown" ? 1 : -1);
      if (next >= matches.length && hasNextPage && !isFetchingNextPage) void fetchNextPage();
      setActive(Math.min(Math.max(next, 0), Math.max(matches.length - 1, 0)));
    } else if (e.key === "PageDown" || e.key === "PageUp") {
      if (!open) return;
      e.preventDefault();
      setActive(
        Math.min(
          Math.max(activeIndex + (e.key === "PageDown" ? 10 : -10), 0),
          Math.max(matches.length - 1, 0),
        ),
      );
    } else if (e.key === "Enter") {
      if (open && matches[activeIndex]) {
        e.preventDefault();
        choose(matches[activeIndex]);
      }
    } else if (e.key === "Escape") {
      if (open || text !== null) {
        e.preventDefault();
        close();
      }
    }
  }

  const shown = text ?? (selected ? assistantLabel(selected) : "");
  const status = !open
    ? ""
    : pages.isError
      ? "Could not load the assistants."
      : pages.isPending || isFetchingNextPage
        ? `Loading assistants… ${loaded.length} so far.`
        : `${matches.length} ${matches.length === 1 ? "assistant" : "assistants"}${q ? " match" : ""}${
            hasNextPage ? ` among ${loaded.length} loaded; more load as you scroll` : ""
          }.`;

  return (
    <div className="relative min-w-0 flex-1">
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-800">
        Assistant
      </label>
      <input
        id={id}
        type="text"
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={activeOption}
        aria-describedby={`${id}-hint`}
        autoComplete="off"
        spellCheck={false}
        disabled={disabled || !scope}
        value={shown}
        placeholder="Search by name or id"
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onClick={() => setOpen(true)}
        onKeyDown={onKeyDown}
        onBlur={close}
        className="block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 placeholder:text-slate-500 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-indigo-600 disabled:bg-slate-100"
      />
      <p id={`${id}-hint`} className="sr-only">
        {selected ? "" : "No assistant chosen: the form below makes a new one. "}Type to search every
        assistant of the connection; arrow keys move, Enter chooses.
      </p>
      <div
        hidden={!open}
        className="absolute z-20 mt-1 w-full rounded-md border border-slate-300 bg-white text-sm shadow-lg"
      >
        <ul
          ref={list}
          id={listId}
          role="listbox"
          aria-label="Assistants"
          onScroll={(e) => {
            const el = e.currentTarget;
            if (el.scrollTop + el.clientHeight >= el.scrollHeight - 40 && hasNextPage && !isFetchingNextPage)
              void fetchNextPage();
          }}
          className="max-h-72 overflow-y-auto py-1"
        >
          {matches.map((a, i) => (
            <li
              key={a.id}
              id={`${id}-opt-${a.id}`}
              role="option"
              aria-selected={a.id === selected?.id}
              aria-label={assistantLabel(a)}
              // Keeps focus in the box: the choice is made on click, blur would close the list first.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(a)}
              onMouseMove={() => setActive(i)}
              className={`cursor-pointer px-2.5 py-1.5 ${i === activeIndex ? "bg-indigo-50 text-slate-900" : "text-slate-800"}`}
            >
              <span className="block truncate font-medium">
                {a.id === selected?.id ? <span aria-hidden="true">✓ </span> : null}
                {a.name || "(unnamed)"}
              </span>
              <span className="block truncate font-mono text-xs text-slate-600">{a.id}</span>
            </li>
          ))}
        </ul>
        <p role="status" className="border-t border-slate-200 px-2.5 py-1 text-xs text-slate-600">
          {open && !pages.isPending && matches.length === 0 && !hasNextPage
            ? "No assistant matches."
            : status}
        </p>
      </div>
    </div>
  );
}
