"use client";

import { useRouter } from "next/navigation";
import { Component, createRef, useEffect, type HTMLAttributes } from "react";

import { takeStashedMarkup } from "./markup-stash";

/** In the browser: the markup each stash key hydrated with, read once from the document. */
const hydrated = new Map<string, string>();
/** The keys whose markup was missing and the page was asked for again. */
const refreshedFor = new Set<string>();

function markupOf(key: string): string | undefined {
  if (typeof window === "undefined") return takeStashedMarkup(key);
  let found = hydrated.get(key);
  if (found === undefined) {
    found = document.querySelector(`[data-markup="${CSS.escape(key)}"]`)?.innerHTML;
    if (found !== undefined) hydrated.set(key, found);
  }
  return found;
}

type ElementProps = Omit<HTMLAttributes<HTMLElement>, "children" | "dangerouslySetInnerHTML"> & {
  as: "ul" | "ol" | "div";
};

export type MarkupProps = ElementProps & {
  /** The markup itself (an RSC payload: a client navigation or a refresh)... */
  html?: string;
  /** ...or the key it was stashed under for the HTML render (a document request). */
  stash?: string;
};

/** Where focus was in the old markup: the row (`data-key`) and which of its elements of that kind. */
interface FocusPlace {
  key: string;
  tag: string;
  index: number;
}

/**
 * The element around the markup. A class for getSnapshotBeforeUpdate: when a new
 * markup replaces the old (after a refresh), focus goes back to the same control
 * of the same row (`data-key`), as it would have stayed on a row React kept.
 */
class MarkupElement extends Component<ElementProps & { content: string; stash?: string }, object, FocusPlace | undefined> {
  private element = createRef<HTMLElement>();

  getSnapshotBeforeUpdate(): FocusPlace | undefined {
    const active = document.activeElement;
    const row = active?.closest<HTMLElement>("[data-key]");
    if (!active || !row?.dataset.key || !this.element.current?.contains(row)) return undefined;
    return { key: row.dataset.key, tag: active.tagName, index: [...row.getElementsByTagName(active.tagName)].indexOf(active) };
  }

  componentDidUpdate(_props: unknown, _state: unknown, focused: FocusPlace | undefined) {
    const container = this.element.current;
    if (!focused || !container || container.contains(document.activeElement)) return;
    const row = container.querySelector(`[data-key="${CSS.escape(focused.key)}"]`);
    (row?.getElementsByTagName(focused.tag)[focused.index] as HTMLElement | undefined)?.focus();
  }

  render() {
    const { as: Tag, content, stash, ...attributes } = this.props;
    return (
      <Tag
        {...attributes}
        ref={this.element as React.Ref<never>}
        data-markup={stash}
        dangerouslySetInnerHTML={{ __html: content }}
        suppressHydrationWarning
      />
    );
  }
}

/** Server markup (components/ui/server-markup.tsx) as an element's content; React leaves it alone while it is unchanged. */
export function Markup({ html, stash, ...attributes }: MarkupProps) {
  const router = useRouter();
  const content = html ?? (stash ? markupOf(stash) : undefined);
  // A payload with a key but no markup behind it (a cached payload of a document that is gone):
  // ask the server again, once per key, whose answer then carries the markup itself.
  useEffect(() => {
    if (content !== undefined || !stash || refreshedFor.has(stash)) return;
    refreshedFor.add(stash);
    router.refresh();
  }, [content, stash, router]);
  return <MarkupElement {...attributes} content={content ?? ""} stash={html === undefined ? stash : undefined} />;
}
