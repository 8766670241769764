import type { Metadata } from "next";
import { forbidden } from "next/navigation";

export const metadata: Metadata = { title: "Sign-in refused" };

/** /sign-in/sso/refused?reason=…&org=… — a refused sign-in answers 403; forbidden.tsx beside it says why. */
export default function SsoRefusedPage(): never {
  forbidden();
}
