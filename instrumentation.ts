/**
 * Runs once when a server starts, before it answers anything: parses the environment (a production server without
 * NEXTAUTH_SECRET stops here with a one-line explanation), then opens the database and applies migrations.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { boot } = await import("./lib/boot");
  await boot();
}
