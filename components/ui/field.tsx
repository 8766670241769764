/** The text input of every form (sign-in, SSO, stacks, searches); add spacing or a font beside it. */
export const INPUT_CLASS =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none placeholder:text-slate-400 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30";

/** A labelled form field: the label, the control (`children`, whose id is `htmlFor`), and an optional hint below. */
export function Field({
  htmlFor,
  label,
  hint,
  children,
}: {
  htmlFor: string;
  label: React.ReactNode;
  hint?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={htmlFor} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {hint && <p className="text-xs text-slate-500">{hint}</p>}
    </div>
  );
}
