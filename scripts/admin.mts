// npm run admin -- <command> — the portal's admin command line (see `npm run admin -- --help`).
import { runAdminCli } from "@/lib/cli/admin";

process.exitCode = await runAdminCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
});
