import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { BrandMark } from "@/components/brand";
import { SignInForm } from "@/components/auth/sign-in-form";
import { SsoSignIn } from "@/components/auth/sso-sign-in";
import { currentAccount } from "@/lib/auth/session";
import { safeCallback } from "@/lib/auth/safe-callback";
import { getEnv } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  CredentialsSignin: "That email and password don't match an account.",
  SsoRequired: "Your organization requires single sign-on: use Continue with SSO below.",
  TooManyAttempts: "Too many failed sign-ins from here. Wait a few minutes, then try again.",
  SessionEnded: "Your session has ended. Please sign in again.",
  default: "Sign-in failed. Please try again.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl, getEnv().appUrl);
  // `reauth`: signed in already, but another organization needs its own sign-in (a session from one org's IdP opens that org only).
  if (!params.reauth && (await currentAccount())) redirect(callbackUrl);
  const error = params.error ? (ERRORS[String(params.error)] ?? ERRORS.default) : undefined;
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
          <div className="my-5 flex items-center gap-3 text-xs tracking-wide text-slate-400 uppercase" aria-hidden>
            <span className="h-px flex-1 bg-slate-200" />
            or
            <span className="h-px flex-1 bg-slate-200" />
          </div>
          <SsoSignIn callbackUrl={callbackUrl} />
        </div>
      </div>
    </main>
  );
}
