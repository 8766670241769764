import { Fragment } from "react";
import { CopyButton } from "@/components/ui/copy-button";

/** The places a URL may wrap: after each "/" of its path (not inside "://"), so a line never ends mid-word. */
export function urlBreaks(url: string): string[] {
  return url.split(/(?<=[^/:]\/)/);
}

/**
 * A URL inside a setup guide's sentence, with its own copy button. It wraps only at its path separators (a <wbr>
 * after each "/"); `break-words` is the last resort for a single segment wider than the card, never `break-all`.
 * `label` names the button ("Copy the Okta guide's SCIM Base URL"): unique on the page, as buttons' names must be.
 */
export function GuideUrl({ value, label, testId }: { value: string; label: string; testId?: string }) {
  const parts = urlBreaks(value);
  return (
    <span className="inline-flex max-w-full flex-wrap items-center gap-1.5 align-middle">
      <code data-testid={testId} className="min-w-0 rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs break-words text-slate-800">
        {parts.map((part, i) => (
          <Fragment key={i}>
            {part}
            {i < parts.length - 1 && <wbr />}
          </Fragment>
        ))}
      </code>
      <CopyButton value={value} label={label} className="px-2 py-0.5" />
    </span>
  );
}
