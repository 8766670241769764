import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Org Admin", template: "%s · Org Admin" },
  description: "Organization administration with SCIM 2.0 provisioning",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
