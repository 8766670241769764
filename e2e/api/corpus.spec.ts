import { test } from "@playwright/test";
import { corpusFiles, loadSequence, replay } from "../support/corpus";
import { scimFixtures } from "../support/scim";

// The regression corpus (e2e/fixtures/{okta,entra}/*.json, format in e2e/support/corpus.ts), replayed against
// `next start`: a change that breaks an IdP fails here with the file and the name of the step.
for (const file of corpusFiles()) {
  test(`${file}: ${loadSequence(file).name}`, async ({ request }) => {
    await replay(request, scimFixtures().api, file);
  });
}
