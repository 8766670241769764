import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { BrandMark } from "@/components/brand";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentAccount } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };

/** Only paths inside this app are allowed as a destination after sign-in. */
function safeCallback(value: string | string[] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return "/org-admin";
  try {
    const u = new URL(v, "http://x");
    if (u.origin !== "http://x" && !v.startsWith("/")) {
      // Absolute URL: keep only its path (next-auth hands us absolute URLs of this same app).
      return u.pathname + u.search;
    }
    return v.startsWith("/") && !v.startsWith("//") ? v : "/org-admin";
  } catch {
    return "/org-admin";
  }
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
  if (await currentAccount()) redirect(callbackUrl);
  const error = params.error ? "That email and password don't match an account." : undefined;
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center text-center">
          <BrandMark className="h-11 w-11" />
          <h1 className="mt-4 text-2xl font-semibold tracking-tight text-slate-900">Sign in to Org Admin</h1>
          <p className="mt-1 text-sm text-slate-600">Manage your organization, its people and SCIM provisioning.</p>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <SignInForm callbackUrl={callbackUrl} initialError={error} />
        </div>
      </div>
    </main>
  );
}
