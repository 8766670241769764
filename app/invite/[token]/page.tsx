import type { Metadata } from "next";
import Link from "next/link";
import { BrandMark } from "@/components/brand";
import { AcceptInvitation } from "@/components/members/accept-invitation";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { getDb } from "@/db/client";
import { currentAccount } from "@/lib/auth/session";
import { invitationByToken } from "@/lib/members/invitations";
import { ROLE_LABEL } from "@/lib/orgs/roles";

export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };

const ENDED = {
  expired: ["This invitation has expired", "Ask an admin of the organization to invite you again."],
  accepted: ["This invitation was already used", "Each link works once. If you accepted it, sign in."],
  revoked: ["This invitation was revoked", "Ask an admin of the organization for a new invitation."],
} as const;

function Shell({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-md">
        <div className="mb-8 flex flex-col items-center text-center">
          <BrandMark className="h-11 w-11" />
          <h1 className="mt-4 text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">{children}</div>
      </div>
    </main>
  );
}

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const view = await invitationByToken(await getDb(), token);
  if (!view)
    return (
      <Shell title="This link is not valid">
        <p className="text-sm text-slate-600">
          No invitation matches it. Check that you copied the whole link, or ask an admin of the organization for a new one.
        </p>
        <Link href="/sign-in" className="mt-4 inline-block text-sm font-medium text-indigo-600 hover:underline">
          Go to sign-in
        </Link>
      </Shell>
    );
  if (view.state !== "open") {
    const [title, text] = ENDED[view.state];
    return (
      <Shell title={title}>
        <p className="text-sm text-slate-600">{text}</p>
        <Link href="/sign-in" className="mt-4 inline-block text-sm font-medium text-indigo-600 hover:underline">
          Go to sign-in
        </Link>
      </Shell>
    );
  }
  const { invitation, org } = view;
  const account = await currentAccount();
  const intro = (
    <p className="text-sm text-slate-600">
      {view.invitedByEmail ? `${view.invitedByEmail} invited` : "You are invited:"}{" "}
      <strong className="text-slate-900">{invitation.email}</strong> to join <strong className="text-slate-900">{org.name}</strong> as{" "}
      {ROLE_LABEL[invitation.role] === "Admin" ? "an Admin" : "a Member"}.
    </p>
  );
  if (account && account.email.toLowerCase() !== invitation.email.toLowerCase())
    return (
      <Shell title={`Join ${org.name}`}>
        {intro}
        <p role="alert" className="mt-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          You are signed in as {account.email}. Sign out, then open the link again to accept it as {invitation.email}.
        </p>
        <div className="mt-4">
          <SignOutButton />
        </div>
      </Shell>
    );
  const mode = account ? "signed-in" : view.accountExists ? "sign-in-first" : org.requireSso ? "new-sso" : "new-password";
  return (
    <Shell title={`Join ${org.name}`}>
      {intro}
      <div className="mt-5">
        <AcceptInvitation token={token} mode={mode} email={invitation.email} orgId={org.id} orgName={org.name} />
      </div>
    </Shell>
  );
}
