import { CopyButton } from "@/components/ui/copy-button";

/** A secret or link shown once, right after it was made: what it is, the value, and a copy button. */
export function ShownOnce({
  message,
  value,
  copyLabel,
  testId,
}: {
  message: React.ReactNode;
  value: string;
  copyLabel: string;
  testId: string;
}) {
  return (
    <div className="rounded-lg border border-emerald-200 bg-emerald-50 p-4" aria-live="polite">
      <p className="text-sm font-medium text-emerald-900">{message}</p>
      <div className="mt-2 flex items-center gap-2">
        <code
          data-testid={testId}
          className="min-w-0 flex-1 truncate rounded-md border border-emerald-200 bg-white px-3 py-2 font-mono text-sm text-slate-800"
        >
          {value}
        </code>
        <CopyButton value={value} label={copyLabel} />
      </div>
    </div>
  );
}
