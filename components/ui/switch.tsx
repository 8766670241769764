/** An on/off switch with its visible label (the label is also its accessible name); `onClick` usually asks first. */
export function Switch({
  checked,
  label,
  onClick,
  disabled = false,
}: {
  checked: boolean;
  label: string;
  onClick: () => void;
  disabled?: boolean;
}) {
  return (
    <div className="flex items-center gap-3">
      <button
        type="button"
        role="switch"
        aria-checked={checked}
        aria-label={label}
        disabled={disabled}
        onClick={onClick}
        className={`relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-50 ${checked ? "bg-indigo-600" : "bg-slate-300"}`}
      >
        <span
          className={`inline-block h-5 w-5 rounded-full bg-white shadow transition ${checked ? "translate-x-5.5" : "translate-x-0.5"}`}
        />
      </button>
      <span className="text-sm font-medium text-slate-900" aria-hidden>
        {label}
      </span>
    </div>
  );
}
